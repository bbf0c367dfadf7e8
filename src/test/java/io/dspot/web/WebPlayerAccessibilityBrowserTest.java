package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web player by keyboard, on a phone and in both themes, in real headless Chromium
 * (webtest/a11y.test.mjs): axe-core finds no serious or critical violation on any main view at
 * 1280×800 and 390×844, light and dark; menus and dialogs move and give back focus; navigation
 * focuses the view's heading; a skip link comes first; the album header reads at 4.5:1 on a white
 * and a yellow cover; the theme choice survives a reload; the admin and cluster tables fit a phone.
 */
class WebPlayerAccessibilityBrowserTest {

  private static final String WHITE_ALBUM = "White Cover Album";
  private static final String YELLOW_ALBUM = "Yellow Cover Album";
  /** Long enough to fill an album card, which must still show the year after it. */
  /** Songs enough to fill a phone's screen, so that a panel over the list could hide one. */
  private static final int FILLERS = 12;
  private static final String LONG_ARTIST = "The Extraordinarily Long-Named Philharmonic Orchestra of Somewhere Far";

  @TempDir
  Path tmp;

  /** webtest/contrast.test.mjs: the ink contrast.js picks reaches 4.5:1 on every colour of the RGB cube. */
  @Test
  void headerInkReadsOnEveryCoverColour() throws Exception {
    BrowserScript.install();
    String output = BrowserScript.run(new ProcessBuilder("node", "contrast.test.mjs"), 60);
    assertThat(output).contains("ok 2 - the ink reaches 4.5:1 on every colour of the RGB cube").contains("PASS: all 5 cases passed");
  }

  @Test
  void everyViewPassesAxeAtBothSizesInBothThemesAndWorksByKeyboardAndOnAPhone() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      Path white = TaggedSongs.mp3(tmp.resolve("white.mp3"), new TaggedSongs.Tags("White Cover Song", LONG_ARTIST, WHITE_ALBUM, 1, 2024, "Jazz", Color.WHITE));
      JsonObject whiteSong = admin.uploadSong(white);
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("yellow.mp3"), new TaggedSongs.Tags("Yellow Cover Song", "Sunny", YELLOW_ALBUM, 1, 1999, "Pop", new Color(255, 221, 0))));
      assertThat(admin.get("/api/albums/" + whiteSong.getString("albumId") + "/cover").status()).as("the white cover was kept").isEqualTo(200);
      for (int i = 1; i <= FILLERS; i++) {
        admin.uploadSong(TestAudio.wav(tmp.resolve(String.format("filler-%02d.wav", i)), TestAudio.WAV_HEADER_BYTES + 32_000, i));
      }
      Path broken = Files.writeString(tmp.resolve("broken.mp3"), "not audio at all");
      assertThat(admin.post("/api/playlists", new JsonObject().put("name", "Keyboard Mix")
          .put("songIds", new JsonArray().add(whiteSong.getString("id")))).status()).isEqualTo(201);
      assertThat(admin.post("/api/users", new JsonObject().put("username", "listener-one")
          .put("password", "a-long-listener-password-1").put("role", "listener")).status()).isEqualTo(201);

      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "a11y.test.mjs");
      var env = script.environment();
      env.put("WHITE_ALBUM", WHITE_ALBUM);
      env.put("YELLOW_ALBUM", YELLOW_ALBUM);
      env.put("PLAYLIST_NAME", "Keyboard Mix");
      env.put("OTHER_USER", "listener-one");
      env.put("DUPLICATE_FILE", white.toAbsolutePath().toString());
      env.put("BROKEN_FILE", broken.toAbsolutePath().toString());
      env.put("SONG_COUNT", String.valueOf(2 + FILLERS));
      env.put("SCREENSHOT", Path.of("target/player-a11y.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 300);
      assertThat(output).contains("ok 2 - axe: every main view").contains("ok 8 - the album header reads at 4.5:1")
          .contains("PASS: all steps passed");
    }
  }
}
