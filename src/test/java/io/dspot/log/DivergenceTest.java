package io.dspot.log;

import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.RingCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/**
 * A node that committed an event and died before delivering it, while the cluster moved on and
 * used that sequence number for something else: on its return it must rebuild, not keep its own.
 */
class DivergenceTest {

  @Test
  void nodeWithAnUndeliveredEventTheClusterSupersededRebuildsFromItsPeers() throws Exception {
    try (RingCluster cluster = new RingCluster(3).startAll()) {
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      long before = sharedWriteThenThirdStopped(cluster, admin);
      TestNode lost = cluster.nodes.get(2);
      assertThat(admin.post("/api/playlists", new JsonObject().put("name", "the cluster's event")).status()).isEqualTo(201);

      // While it is down, give the stopped node its own, never-delivered event at the same number.
      withGhostEvent(lost, before + 1);

      lost.startAgain();
      cluster.awaitMembers(3, 20_000);
      long seq = cluster.awaitConverged(30_000);
      assertThat(seq).isGreaterThan(before);
      String digest = CatalogDigest.of(cluster.nodes.get(0));
      assertThat(CatalogDigest.of(lost)).isEqualTo(digest);
      ApiClient onLost = new ApiClient(lost).withToken(admin.token());
      assertThat(onLost.get("/api/playlists").items().stream().map(p -> ((JsonObject) p).getString("name")))
          .containsExactlyInAnyOrder("shared", "the cluster's event");
    }
  }

  /**
   * The fault a restarted leader hit in LeaderFaultsTest: it came back with an event of a fenced
   * epoch that no majority ever held, at the number where the cluster's token continues, and nothing
   * newer exists yet (so nothing shows a conflict at its return). Given the token it must rebuild
   * and commit, not refuse every write for being "out of step".
   */
  @Test
  void nodeHoldingAnOldEpochsEventWhereTheTokenContinuesRebuildsAndCommits() throws Exception {
    try (RingCluster cluster = new RingCluster(3).startAll()) {
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      long before = sharedWriteThenThirdStopped(cluster, admin);
      TestNode lost = cluster.nodes.get(2);
      withGhostEvent(lost, before + 1);

      lost.startAgain();
      cluster.awaitMembers(3, 20_000);
      ApiClient onLost = new ApiClient(lost).withToken(admin.token());
      ApiClient.Reply written = Await.within(java.time.Duration.ofSeconds(30)).every(java.time.Duration.ofMillis(500)).until(
          "a write through the restarted node", () -> onLost.post("/api/playlists", new JsonObject().put("name", "after the return")),
          r -> r.status() == 201);
      assertThat(written.status()).isEqualTo(201);
      long seq = cluster.awaitConverged(30_000);
      assertThat(seq).isGreaterThan(before);
      assertThat(CatalogDigest.of(lost)).isEqualTo(CatalogDigest.of(cluster.nodes.get(0)));
      assertThat(onLost.get("/api/playlists").items().stream().map(p -> ((JsonObject) p).getString("name")))
          .containsExactlyInAnyOrder("shared", "after the return");
    }
  }

  /** All three nodes hold a first write; then the third stops. Returns the sequence number they agreed on. */
  private static long sharedWriteThenThirdStopped(RingCluster cluster, ApiClient admin) {
    cluster.awaitMembers(3, 20_000);
    assertThat(admin.post("/api/playlists", new JsonObject().put("name", "shared")).status()).isEqualTo(201);
    long before = cluster.awaitConverged(10_000);
    cluster.nodes.get(2).stop();
    cluster.awaitMembers(2, 15_000);
    return before;
  }

  /** While the node is down, gives it its own, never-delivered event of an old epoch at {@code seq}. */
  private static void withGhostEvent(TestNode lost, long seq) throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(lost.dataDir().resolve("postgres"))
            .setCleanDataDirectory(false).setPort(Ports.take())
            .setConnectConfig("password", postgresPassword(lost)).start();
        Connection c = pg.getPostgresDatabase().getConnection("postgres", postgresPassword(lost))) {
      String ghost = "{\"id\":\"11111111-1111-1111-1111-111111111111\",\"ownerId\":\"22222222-2222-2222-2222-222222222222\"}";
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO outbox (seq, epoch, epoch_owner, event_type, payload, origin_node) VALUES (?, 0, 'old', 'no.op', ?::jsonb, 'node-c')")) {
        insert.setLong(1, seq);
        insert.setString(2, ghost);
        insert.executeUpdate();
      }
      c.createStatement().executeUpdate("UPDATE applied_state SET last_seq = " + seq);
    }
  }

  private static String postgresPassword(TestNode node) throws java.io.IOException {
    return java.nio.file.Files.readString(node.dataDir().resolve("postgres.password")).trim();
  }
}
