package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node counts the song responses it is sending, so replication can yield to listeners:
 * every kind of answer ends its count (whole, range, HEAD, 416, unknown song, a listener who
 * leaves mid-body), and the node is idle again a moment after the last one.
 */
class StreamingReportsListenersTest {

  @TempDir
  Path tmp;

  @Test
  void everyAnswerEndsItsCountAndAListenerWhoStaysMakesReplicationYield() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      // Larger than loopback's socket buffers, so a listener who stops reading keeps its response open.
      String id = admin.uploadSong(TestAudio.wav(tmp.resolve("long.wav"), 24_000_000, 5)).getString("id");
      String stream = "/api/songs/" + id + "/stream";
      awaitIdle(admin);

      assertThat(admin.get(stream, "Range", "bytes=0-65535").status()).isEqualTo(206);
      assertThat(admin.get(stream).status()).isEqualTo(200);
      assertThat(admin.head(stream).status()).isEqualTo(200);
      assertThat(admin.get(stream, "Range", "bytes=999999999-").status()).isEqualTo(416);
      assertThat(admin.get("/api/songs/00000000-0000-0000-0000-000000000000/stream").status()).isEqualTo(404);
      awaitIdle(admin);

      try (InputStream listener = admin.openStream(stream)) {
        assertThat(listener.readNBytes(1024)).hasSize(1024);
        JsonObject busy = Await.within(Duration.ofSeconds(10)).until("replication yields to the listener",
            () -> replication(admin), r -> r.getBoolean("yieldingToListeners") && r.getInteger("listenerResponses") == 1);
        assertThat(busy.getInteger("listenerResponses")).isEqualTo(1);
      }
      // The listener left mid-body: its response ends with the connection.
      awaitIdle(admin);
    }
  }

  @Test
  void aRelayedListenerCountsOnBothNodesAndLeavesNoCountBehind() throws Exception {
    // Replication paused: node 1 keeps the only copy, so node 2 relays every byte from it.
    try (TestCluster cluster = TestCluster.start(2, java.util.Map.of("DSPOT_REPLICATION_ENABLED", "false"))) {
      ApiClient onHolder = new ApiClient(cluster.node(0)).asAdmin();
      ApiClient onRelay = new ApiClient(cluster.node(1)).withToken(onHolder.token());
      String id = onHolder.uploadSong(TestAudio.wav(tmp.resolve("relayed.wav"), 24_000_000, 6)).getString("id");
      String stream = "/api/songs/" + id + "/stream";
      Await.within(Duration.ofSeconds(20)).until("the song's catalog entry on node 2", () -> onRelay.get(stream, "Range", "bytes=0-0").status() == 206);

      for (int i = 0; i < 5; i++) {
        assertThat(onRelay.get(stream, "Range", "bytes=" + (i * 1_000_000) + "-" + (i * 1_000_000 + 65_535)).status()).isEqualTo(206);
      }
      assertThat(onRelay.get(stream).status()).isEqualTo(200);
      try (InputStream listener = onRelay.openStream(stream)) {
        assertThat(listener.readNBytes(1024)).hasSize(1024);
        for (ApiClient node : List.of(onHolder, onRelay)) {
          Await.within(Duration.ofSeconds(10)).until("a node busy with the relayed listener",
              () -> replication(node), r -> r.getBoolean("yieldingToListeners") && r.getInteger("listenerResponses") >= 1);
        }
      }
      awaitIdle(onHolder);
      awaitIdle(onRelay);
    }
  }

  private static void awaitIdle(ApiClient admin) {
    Await.within(Duration.ofSeconds(10)).until("no listener response in flight and replication at full speed",
        () -> replication(admin), r -> !r.getBoolean("yieldingToListeners") && r.getInteger("listenerResponses") == 0);
  }

  /** This node's replication status from the cluster view (each node lists itself among the members). */
  private static JsonObject replication(ApiClient admin) {
    JsonObject view = admin.get("/api/cluster").json();
    String self = view.getString("self");
    return view.getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(m -> self.equals(m.getString("nodeId"))).findFirst().orElseThrow().getJsonObject("replication");
  }
}
