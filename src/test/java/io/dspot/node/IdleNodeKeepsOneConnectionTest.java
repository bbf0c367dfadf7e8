package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A single node left alone keeps one PostgreSQL connection open, so the listener's first click after a
 * lull does not pay for a new one; the others an upload opened are still closed.
 */
class IdleNodeKeepsOneConnectionTest {

  @Test
  void afterALullTheNodeStillHoldsOneOfItsConnections() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(ApiClient.fixture("tone.mp3"));
      try (Connection c = DriverManager.getConnection(node.node().jdbcUrl())) {
        Set<Integer> before = nodeBackends(c);
        assertThat(before).as("the node's connections while it works").isNotEmpty();
        // Longer than the pool's idle timeout plus one sweep of its cleaner.
        Thread.sleep((Database.IDLE_CONNECTION_SECONDS + 7) * 1_000L);
        Set<Integer> after = nodeBackends(c);
        // One of the connections the upload used is still open (the node's own work in the lull, a
        // replication pass after the added song, may open another beside it).
        assertThat(after).as("the node's connections after %d s idle (before: %s)", Database.IDLE_CONNECTION_SECONDS + 7, before)
            .containsAnyElementsOf(before);
        if (before.size() > 2) {
          assertThat(after).as("the upload's extra connections are closed (before: %s)", before).hasSizeLessThan(before.size());
        }
      }
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(1);
    }
  }

  /** Backend pids of the node's pool: client backends of its database other than this test's own. */
  private static Set<Integer> nodeBackends(Connection c) throws Exception {
    Set<Integer> pids = new HashSet<>();
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }
}
