package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedLibrary;
import io.dspot.testkit.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsing the whole library in real headless Chromium (webtest/browse.test.mjs): Play all and
 * Shuffle all from Songs queue all 60 songs though only 50 rows are loaded; sorting by a column;
 * Genres and Years; a search for a year grouped into songs and albums; an album's zip; scrolling
 * Songs to the end, its second page asked by cursor.
 */
class WebPlayerBrowseBrowserTest {

  @TempDir
  Path tmp;

  @Test
  void playAllQueuesTheWholeLibrarySortingGenresYearsGroupedSearchAndAlbumDownload() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      TaggedLibrary.upload(new ApiClient(node).asAdmin(), tmp);
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "browse.test.mjs");
      var env = script.environment();
      env.put("SONG_COUNT", Integer.toString(TaggedLibrary.SONGS));
      // Albums 0 and 1 ("Jazz" and "jazz") are one genre of 20 songs; 1997 is songs 7, 19, 31, 43, 55, all on Album 1.
      env.put("GENRE", "Jazz");
      env.put("GENRE_COUNT", "20");
      env.put("YEAR", "1997");
      env.put("YEAR_COUNT", "5");
      env.put("YEAR_ALBUM", "Album 1");
      // Album 1's artist, Artist 1, also has Album 4: 20 songs.
      env.put("ARTIST_COUNT", "20");
      env.put("SCREENSHOT", Path.of("target/player-browse.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 180);
      assertThat(output).contains("ok 1 - Play all from Songs").contains("ok 2 - Shuffle all").contains("ok 7 - the artist found").contains("ok 8 - an album's Download").contains("ok 9 - scrolling Songs")
          .contains("PASS: all steps passed");
    }
  }
}
