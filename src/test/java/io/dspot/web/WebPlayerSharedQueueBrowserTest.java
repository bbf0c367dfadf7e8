package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The play queue shared with the listener's other devices, in real headless Chromium
 * (webtest/sharedqueue.test.mjs): a queue saved as a phone saves it is offered to a browser with
 * nothing queued, restored paused at its song and position, and the browser's changes are saved.
 */
class WebPlayerSharedQueueBrowserTest {

  /** 8 kHz 16-bit mono: 40 s, room for a position of 12 s. */
  private static final int SONG_BYTES = TestAudio.WAV_HEADER_BYTES + 40 * 16_000;

  @TempDir
  Path tmp;

  @Test
  void aQueueSavedElsewhereIsOfferedRestoredAndKeptUpToDate() throws Exception {
    BrowserScript.install();
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      String first = admin.uploadSong(TestAudio.wav(tmp.resolve("shared-first.wav"), SONG_BYTES, 1L)).getString("id");
      String second = admin.uploadSong(TestAudio.wav(tmp.resolve("shared-second.wav"), SONG_BYTES, 2L)).getString("id");
      ApiClient.Reply saved = admin.put("/api/playqueue", new JsonObject().put("songIds", new JsonArray().add(second).add(first))
          .put("current", first).put("position", 12_000).put("changedBy", "phone"));
      assertThat(saved.status()).as(saved.text()).isEqualTo(200);
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "sharedqueue.test.mjs");
      var env = script.environment();
      env.put("FIRST_ID", first);
      env.put("FIRST_TITLE", "shared-first");
      env.put("SECOND_ID", second);
      env.put("POSITION", "12");
      env.put("SCREENSHOT", Path.of("target/player-shared-queue.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 3 - a change of the queue is saved").contains("PASS: all steps passed");
      JsonObject queue = admin.get("/api/playqueue").json();
      assertThat(queue.getString("current")).isEqualTo(second);
      assertThat(queue.getString("changedBy")).isEqualTo("web player");
    }
  }
}
