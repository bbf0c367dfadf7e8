package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.Ports;
import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.TestAudio;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web player in real headless Chromium (Debian's, driven by playwright-core from webtest/):
 * log in, upload, search, play, seek, hostile tags as text, the node killed and restarted
 * mid-song (and once for longer than the player retries, once frozen so that requests hang instead of failing),
 * reset and change a password. Screenshots go to target/ (docs/ is refreshed on request only:
 * {@link DocsScreenshots}).
 *
 * <p>The node runs in its own JVM so the script can have it killed and started again on the
 * same port and data: it prints {@code @@ STOP_NODE}, {@code @@ START_NODE}, {@code @@ FREEZE_NODE}
 * (SIGSTOP) or {@code @@ THAW_NODE} and waits for {@code ok} (or {@code error ...}) on its stdin.
 */
class WebPlayerBrowserTest {

  /**
   * 8 kHz 16-bit mono: about 21 minutes. Chromium buffers a few MB ahead of every place the song
   * plays from and keeps it, and the script seeks three times to a second it has not got (so
   * that playing on needs the server): the song must leave room for all of them.
   */
  private static final int LONG_SONG_BYTES = 20_000_000;

  @TempDir
  Path tmp;

  @Test
  void listenerJourneyWorksInARealBrowser() throws Exception {
    BrowserScript.install();
    int hazelcastPort = Ports.take();
    Path longSong = TestAudio.wav(tmp.resolve("webtest-long-song.wav"), LONG_SONG_BYTES, 909L);
    try (ProcessNode node = new ProcessNode("web-a", tmp.resolve("web-a"), "webplayer-" + UUID.randomUUID(), hazelcastPort,
        List.of(hazelcastPort), 1)) {
      node.start().keepPort();
      ProcessBuilder test = BrowserScript.script(node.baseUrl(), "node", "player.test.mjs");
      var env = test.environment();
      env.put("AUDIO_FILE", ApiClient.fixture("aurora.mp3").toString());
      env.put("AUDIO_TITLE_PART", "auror");
      env.put("HOSTILE_AUDIO_FILE", ApiClient.fixture("hostile.mp3").toString());
      env.put("LONG_AUDIO_FILE", longSong.toString());
      env.put("NODE_CONTROL", "stdio");
      env.put("SCREENSHOT", Path.of("target/player.png").toAbsolutePath().toString());
      env.put("CLUSTER_SCREENSHOT", Path.of("target/player-cluster.png").toAbsolutePath().toString());
      String output = BrowserScript.runControlling(test, command -> {
        switch (command) {
          case "STOP_NODE" -> node.kill9();
          case "START_NODE" -> node.start();
          case "FREEZE_NODE" -> node.freeze();
          case "THAW_NODE" -> node.thaw();
          default -> throw new IllegalArgumentException("unknown command " + command);
        }
        return "";
      }, 540);
      assertThat(output).contains("ok 8 - cluster view").contains("ok 9 - admin view: reset").contains("ok 10 - change password")
          .contains("ok 11 - the node dies mid-song").contains("ok 12 - the node stays away")
          .contains("ok 13 - the player ran under a strict Content-Security-Policy").contains("ok 14");
    }
  }

  /** The player's retry schedule (webroot/app/reconnect.js) in Node: back-off, giving up, Retry, ended sessions. */
  @Test
  void theReconnectorBacksOffGivesUpAndStartsAgain() throws Exception {
    String output = BrowserScript.run(new ProcessBuilder("node", "reconnect.test.mjs"), 60);
    assertThat(output).contains("PASS: all 12 cases passed");
  }
}
