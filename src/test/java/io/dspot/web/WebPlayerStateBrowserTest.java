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
 * What the web player keeps and whom it lets have a key, in real headless Chromium
 * (webtest/state.test.mjs): the queue, the track and its position survive a reload and an ended
 * session, paused; one tab plays at a time and a playlist made in one tab appears in the other;
 * Space and Enter reach a focused button instead of the player.
 */
class WebPlayerStateBrowserTest {

  /** 8 kHz 16-bit mono: 40 s, room to seek to 20 s and play on. */
  private static final int SONG_BYTES = TestAudio.WAV_HEADER_BYTES + 40 * 16_000;

  @TempDir
  Path tmp;

  @Test
  void queueAndPositionSurviveAReloadOneTabPlaysAtATimeAndKeysReachTheFocusedControl() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(TestAudio.wav(tmp.resolve("state-first.wav"), SONG_BYTES, 1L));
      admin.uploadSong(TestAudio.wav(tmp.resolve("state-second.wav"), SONG_BYTES, 2L));
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "state.test.mjs");
      var env = script.environment();
      env.put("FIRST_TITLE", "state-first");
      env.put("SECOND_TITLE", "state-second");
      env.put("SCREENSHOT", Path.of("target/player-state.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 2 - reload").contains("ok 9 - the player opened at its bare address").contains("PASS: all steps passed");
    }
  }
}
