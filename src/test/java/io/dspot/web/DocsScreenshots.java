package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import java.awt.Color;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refreshes the screenshots in docs/ (webtest/screenshots.mjs) from a node holding a small tagged
 * library with covers. Runs only when asked, so that test runs leave docs/ alone:
 * {@code mvn -B test -Dtest=DocsScreenshots -Ddocs.screenshots=true} ({@code -Ddocs.dir=DIR} to write them elsewhere).
 */
@EnabledIfSystemProperty(named = "docs.screenshots", matches = "true")
class DocsScreenshots {

  private static final String[][] ALBUMS = {
      {"Harbour Lights", "Mira Vale", "Dream Pop", "2019"},
      {"Copper Season", "The Long Field", "Folk", "1997"},
      {"Night Transit", "Kessler Array", "Electronic", "2023"},
      {"Saltwater Hymns", "Odile Brand", "Jazz", "1964"},
      {"Low Orbit", "Pale Signal", "Ambient", "2008"},
      {"Brass & Static", "Quarry Street", "Rock", "1989"},
  };
  private static final Color[] COVERS = {
      new Color(0xE07A5F), new Color(0xF2CC8F), new Color(0x3D405B), new Color(0x81B29A), new Color(0x5E60CE), new Color(0xD62828)};
  private static final int SONGS_PER_ALBUM = 4;
  private static final String[] TITLES = {"Opening", "Undertow", "Glass Rain", "Last Ferry", "Tidewater", "Signal Fire", "Paper Moon",
      "Northbound", "Quiet Engine", "Salt Road", "Afterglow", "Lanterns", "Drift", "Open Water", "Small Hours", "Ember",
      "Static Bloom", "Harbour Song", "Long Division", "Crossing", "Cinder", "Blue Hour", "Waystation", "Homeward"};

  @TempDir
  Path tmp;

  @Test
  void refreshTheScreenshotsInDocs() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      for (int a = 0; a < ALBUMS.length; a++) {
        String[] album = ALBUMS[a];
        for (int t = 0; t < SONGS_PER_ALBUM; t++) {
          admin.uploadSong(TaggedSongs.mp3(tmp.resolve(a + "-" + t + ".mp3"), new TaggedSongs.Tags(TITLES[a * SONGS_PER_ALBUM + t], album[1],
              album[0], t + 1, Integer.parseInt(album[3]), album[2], COVERS[a]), TaggedSongs::ringCover));
        }
      }
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "screenshots.mjs");
      script.environment().put("OUT_DIR", System.getProperty("docs.dir", Path.of("docs").toAbsolutePath().toString()));
      assertThat(BrowserScript.run(script, 180)).contains("PASS: all steps passed");
    }
  }
}
