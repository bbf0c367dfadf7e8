package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What an operator sees with psql on a node's embedded PostgreSQL: sized for its pool, not for a shared server. */
class EmbeddedPostgresFootprintTest {

  @Test
  void connectionsFollowThePoolAndBuffersStaySmallWhileTheNodeWorks() throws Exception {
    try (TestNode node = TestNode.builder().set("DSPOT_DB_POOL_SIZE", "5").start()) {
      new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.mp3"));
      try (Connection c = DriverManager.getConnection(node.node().jdbcUrl())) {
        assertThat(show(c, "max_connections")).isEqualTo(Integer.toString(2 * 5 + PostgresSettings.CONNECTIONS_BEYOND_POOL));
        assertThat(show(c, "shared_buffers")).isEqualTo("16MB");
        assertThat(show(c, "huge_pages")).isEqualTo("off");
        try (ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'logical replication launcher'")) {
          assertThat(rs.next() && rs.getInt(1) == 0).as("no logical replication launcher process").isTrue();
        }
      }
      assertThat(new ApiClient(node).asAdmin().get("/api/songs").json().getLong("total")).isEqualTo(1);
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
