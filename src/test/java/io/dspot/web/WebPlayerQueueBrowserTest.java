package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reordering, the now-playing view and gapless playback in real headless Chromium
 * (webtest/queue.test.mjs): a playlist reordered by keyboard, by its row menu and by drag keeps the
 * order after a reload; the queue reorders and the playing track stays current; a song the
 * playlist holds is only added again on purpose; on a phone the bar opens now playing with every
 * control; and one song follows the other with no gap (the script prints {@code measured: gap N ms}).
 */
class WebPlayerQueueBrowserTest {

  /** 8 kHz 16-bit mono: 5 s, short enough to hear two songs change within the test. */
  private static final int SONG_BYTES = TestAudio.WAV_HEADER_BYTES + 5 * 16_000;

  @TempDir
  Path tmp;

  @Test
  void reorderByKeyboardAndDragAskBeforeAddingTwiceNowPlayingOnAPhoneAndNoGapBetweenSongs() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      for (String title : new String[] {"queue-one", "queue-two", "queue-three"}) {
        admin.uploadSong(TestAudio.wav(tmp.resolve(title + ".wav"), SONG_BYTES, title.hashCode()));
      }
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "queue.test.mjs");
      var env = script.environment();
      env.put("TITLES", "queue-one,queue-two,queue-three");
      env.put("SCREENSHOT", Path.of("target/player-queue.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 150);
      System.out.println(output.lines().filter(l -> l.startsWith("measured:")).findFirst().orElse("measured: nothing"));
      assertThat(output).contains("ok 2 - while the stream has no data").contains("ok 6 - a row dragged").contains("ok 11 - gapless").contains("PASS: all steps passed");
    }
  }

  /** The queue's order in Node (webroot/app/player.js, a fake audio element): moves, shuffle, what the spare preloads, the hand-over. */
  @Test
  void movesKeepTheCurrentSongAndShufflesBagAndThePreloadedTrackIsTheOneThatPlays() throws Exception {
    String output = BrowserScript.run(new ProcessBuilder("node", "queue-order.test.mjs"), 60);
    assertThat(output).contains("PASS: all 6 cases passed");
  }
}
