package io.dspot.log;

import io.dspot.testkit.Await;
import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.RingCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterFaultsTest {

  @Test
  void nodeWithoutAMajorityRefusesWritesKeepsServingReadsAndConvergesAfterHealing() throws Exception {
    try (RingCluster cluster = new RingCluster(3).startAll()) {
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      assertThat(admin.post("/api/playlists", new JsonObject().put("name", "before")).status()).isEqualTo(201);
      cluster.awaitConverged(10_000);

      cluster.nodes.get(1).stop();
      cluster.nodes.get(2).stop();
      cluster.awaitMembers(1, 15_000);

      ApiClient.Reply refused = admin.post("/api/playlists", new JsonObject().put("name", "during"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("error")).contains("majority").contains("1 of 3");
      assertThat(admin.get("/api/playlists").json().getLong("total")).as("reads keep working").isEqualTo(1);

      cluster.nodes.get(1).startAgain();
      cluster.nodes.get(2).startAgain();
      cluster.awaitMembers(3, 20_000);
      ApiClient.Reply healed = retryUntilCreated(admin, new JsonObject().put("name", "after"));
      assertThat(healed.status()).isEqualTo(201);
      cluster.awaitConverged(15_000);
      String digest = CatalogDigest.of(cluster.nodes.get(0));
      for (TestNode n : cluster.nodes) {
        assertThat(CatalogDigest.of(n)).isEqualTo(digest);
      }
    }
  }

  @Test
  void eventsDeliveredTwiceAfterARelayCrashAreAppliedOnce() throws Exception {
    try (RingCluster cluster = new RingCluster(3).startAll()) {
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      for (int i = 0; i < 10; i++) {
        assertThat(admin.post("/api/playlists", new JsonObject().put("name", "p" + i)).status()).isEqualTo(201);
      }
      long seq = cluster.awaitConverged(10_000);
      String digest = CatalogDigest.of(cluster.nodes.get(1));
      // As if the relay committed and crashed before recording delivery: everything is sent again.
      for (TestNode n : cluster.nodes) {
        try (Connection c = DriverManager.getConnection(n.node().jdbcUrl(), "postgres", "")) {
          c.createStatement().executeUpdate("UPDATE outbox SET delivered_at = NULL WHERE origin_node = '" + RingCluster.nodeName(cluster.nodes.indexOf(n)) + "'");
        }
      }
      cluster.nodes.get(0).restart();
      Await.within(Duration.ofSeconds(15)).until("node-a's outbox re-delivered and marked", () -> backlog(cluster.nodes.get(0)), n -> n == 0);
      assertThat(cluster.awaitConverged(10_000)).isEqualTo(seq);
      assertThat(CatalogDigest.of(cluster.nodes.get(1))).isEqualTo(digest);
      assertThat(CatalogDigest.of(cluster.nodes.get(0))).isEqualTo(digest);
    }
  }

  @Test
  void unknownOrBrokenEventsAreParkedAndLaterEventsStillApply() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      long last = CatalogDigest.lastSeq(node);
      var bus = node.node().vertx().eventBus();
      String address = LogMessages.deliverTo("test-node");
      JsonArray events = new JsonArray()
          .add(new JsonObject().put("seq", last + 1).put("epoch", 999).put("epochOwner", "zzz").put("type", "no.such.type")
              .put("payload", new JsonObject().put("x", 1)).put("origin", "elsewhere"))
          .add(new JsonObject().put("seq", last + 2).put("epoch", 999).put("epochOwner", "zzz").put("type", "playlist.saved")
              .put("payload", new JsonObject().put("id", "not-a-uuid")).put("origin", "elsewhere"))
          // A node's copies recorded in one go: without its list, with a number in it, without the node; then a good one.
          .add(copies(last + 3, new JsonObject().put("node", "node-x")))
          .add(copies(last + 4, new JsonObject().put("node", "node-x").put("sha256s", new JsonArray().add("a".repeat(64)).add(7))))
          .add(copies(last + 5, new JsonObject().put("sha256s", new JsonArray().add("b".repeat(64)))))
          .add(copies(last + 6, new JsonObject().put("node", "node-x").put("sha256s", new JsonArray().add("c".repeat(64)).add("d".repeat(64)))));
      JsonObject reply = bus.<JsonObject>request(address, new JsonObject().put("from", "elsewhere").put("events", events))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
      assertThat(reply.getLong("lastApplied")).isEqualTo(last + 6);
      assertThat(locations(node)).as("the broken records left nothing, the good one all of its copies")
          .containsExactly("c".repeat(64) + " node-x", "d".repeat(64) + " node-x");

      // Garbage is refused outright and changes nothing.
      try {
        bus.request(address, new JsonObject().put("from", "x").put("events", new JsonArray().add("garbage")))
            .toCompletionStage().toCompletableFuture().join();
        throw new AssertionError("garbage accepted");
      } catch (CompletionException e) {
        assertThat(((ReplyException) e.getCause()).failureCode()).isEqualTo(400);
      }
      assertThat(CatalogDigest.lastSeq(node)).isEqualTo(last + 6);

      JsonArray parked = admin.get("/api/cluster").json().getJsonArray("members").getJsonObject(0).getJsonArray("parked");
      assertThat(parked).hasSize(5);
      assertThat(parked.encode()).contains("unknown event type").contains("no.such.type");
    }
  }

  private static JsonObject copies(long seq, JsonObject payload) {
    return new JsonObject().put("seq", seq).put("epoch", 999).put("epochOwner", "zzz").put("type", "replicas.added")
        .put("payload", payload).put("origin", "elsewhere");
  }

  private static java.util.List<String> locations(TestNode node) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        var rs = c.createStatement().executeQuery("SELECT sha256 || ' ' || node_id FROM song_locations WHERE node_id = 'node-x' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long backlog(TestNode node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static ApiClient.Reply retryUntilCreated(ApiClient admin, JsonObject body) {
    return Await.within(Duration.ofSeconds(15)).every(Duration.ofMillis(200))
        .until("a playlist write accepted again", () -> admin.post("/api/playlists", body), r -> r.status() == 201);
  }
}
