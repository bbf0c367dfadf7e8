package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener's own library in real headless Chromium (webtest/library-user.test.mjs): Home first,
 * with the newest album; a star from a song's row that survives a reload and shows in Favourites;
 * a rating given by keyboard that survives a reload; a short song played to the end counted once,
 * under Recently played and in its play count; stars on the album's and the artist's headers.
 */
class WebPlayerUserLibraryBrowserTest {

  /** 8 kHz 16-bit mono. */
  private static final int BYTES_PER_SECOND = 16_000;

  @TempDir
  Path tmp;

  @Test
  void homeFavouritesRatingsAndPlayCountsWorkForAListener() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject starMe = admin.uploadSong(TestAudio.wav(tmp.resolve("Userlib Band - star-me.wav"), TestAudio.WAV_HEADER_BYTES + 30 * BYTES_PER_SECOND, 11L));
      JsonObject shortSong = admin.uploadSong(TestAudio.wav(tmp.resolve("Userlib Band - short-one.wav"), TestAudio.WAV_HEADER_BYTES + 3 * BYTES_PER_SECOND, 12L));
      assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password")).status()).isEqualTo(201);

      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "library-user.test.mjs");
      var env = script.environment();
      env.put("LISTENER_USER", "lena");
      env.put("LISTENER_PASSWORD", "lena-password");
      env.put("ALBUM_ID", shortSong.getString("albumId"));
      env.put("SHORT_TITLE", shortSong.getString("title"));
      env.put("STAR_TITLE", starMe.getString("title"));
      env.put("ARTIST_NAME", shortSong.getString("artist"));
      env.put("SCREENSHOT", Path.of("target/player-library-user.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 1 - after logging in, Home").contains("ok 7 - Home shows the album under Recently played").contains("ok 8 - star the album").contains("ok 9 - History lists the play")
          .contains("ok 10 - a star given in one tab shows in another")
          .contains("PASS: all steps passed");
    }
  }

  /** When the player counts a play (webroot/app/scrobble.js) in Node: half the song or 4 minutes, once per play, not by seeking. */
  @Test
  void theScrobblerCountsHalfTheSongOrFourMinutesOncePerPlay() throws Exception {
    String output = BrowserScript.run(new ProcessBuilder("node", "scrobble.test.mjs"), 60);
    assertThat(output).contains("PASS: all 6 cases passed");
  }
}
