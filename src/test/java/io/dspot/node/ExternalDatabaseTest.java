package io.dspot.node;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.config.ConfigLoader;
import io.dspot.config.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With db.url set, the node uses that server and starts no PostgreSQL of its own. */
class ExternalDatabaseTest {

  @TempDir Path pgDir;

  @Test
  void nodeStoresItsCatalogInTheConfiguredServer() throws Exception {
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(true)
        .setPort(Ports.take()).start()) {
      String url = "jdbc:postgresql://127.0.0.1:" + external.getPort() + "/postgres";
      try (TestNode node = TestNode.builder().set("DSPOT_DB_URL", url).set("DSPOT_DB_USER", "postgres").start()) {
        new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.flac"));
        assertThat(Files.exists(node.dataDir().resolve("postgres"))).as("no embedded database directory").isFalse();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
            ResultSet rs = c.createStatement().executeQuery("SELECT title FROM songs")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("Flac C523");
        }
      }
    }
  }

  @Test
  void theNodesConnectionsRunWithoutJit() throws Exception {
    try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(true)
        .setPort(Ports.take()).start()) {
      String url = "jdbc:postgresql://127.0.0.1:" + external.getPort() + "/postgres";
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          ResultSet rs = c.createStatement().executeQuery("SHOW jit")) {
        assertThat(rs.next() && rs.getString(1).equals("on")).as("the control: the server's own default is on").isTrue();
      }
      NodeConfig config = ConfigLoader.load(Path.of("conf/node.json"), Map.of("DSPOT_DB_URL", url, "DSPOT_DB_USER", "postgres"));
      Vertx vertx = Vertx.vertx();
      try (Database database = Database.start(config)) {
        Pool pool = database.pool(vertx, 1);
        assertThat(pool.query("SHOW jit").execute().await().iterator().next().getString(0)).isEqualTo("off");
      } finally {
        vertx.close().await();
      }
    }
  }
}
