package io.dspot.log;

import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.RingCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
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
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      assertThat(admin.post("/api/playlists", new JsonObject().put("name", "shared")).status()).isEqualTo(201);
      long before = cluster.awaitConverged(10_000);

      TestNode lost = cluster.nodes.get(2);
      lost.stop();
      cluster.awaitMembers(2, 15_000);
      assertThat(admin.post("/api/playlists", new JsonObject().put("name", "the cluster's event")).status()).isEqualTo(201);

      // While it is down, give the stopped node its own, never-delivered event at the same number.
      try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(lost.dataDir().resolve("postgres"))
              .setCleanDataDirectory(false).setPort(Ports.take())
              // The node's database takes only its password (kept 0600 in the data directory).
              .setConnectConfig("password", postgresPassword(lost)).start();
          Connection c = pg.getPostgresDatabase().getConnection("postgres", postgresPassword(lost))) {
        String ghost = "{\"id\":\"11111111-1111-1111-1111-111111111111\",\"ownerId\":\"22222222-2222-2222-2222-222222222222\"}";
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO outbox (seq, epoch, epoch_owner, event_type, payload, origin_node) VALUES (?, 0, 'old', 'no.op', ?::jsonb, 'node-c')")) {
          insert.setLong(1, before + 1);
          insert.setString(2, ghost);
          insert.executeUpdate();
        }
        c.createStatement().executeUpdate("UPDATE applied_state SET last_seq = " + (before + 1));
      }

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

  private static String postgresPassword(TestNode node) throws java.io.IOException {
    return java.nio.file.Files.readString(node.dataDir().resolve("postgres.password")).trim();
  }
}
