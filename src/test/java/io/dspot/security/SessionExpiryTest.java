package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sessions end after an idle time (sliding: use keeps them alive) besides their absolute
 * lifetime, and the rows of ended sessions are purged. With a 15 s idle time: nodes answer for a
 * session from memory for up to 10 s, so the idle time may not be shorter than that.
 */
class SessionExpiryTest {

  private static final int IDLE_SECONDS = 15;

  @Test
  void anIdleSessionEndsAUsedOneSlidesAndEndedRowsArePurged() throws Exception {
    try (TestNode node = TestNode.builder()
        .set("DSPOT_ACCOUNTS_SESSION_IDLE_SECONDS", Integer.toString(IDLE_SECONDS))
        .set("DSPOT_ACCOUNTS_SESSION_PURGE_SECONDS", "1")
        .start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password")).status()).isEqualTo(201);
      ApiClient idle = new ApiClient(node).login("lena", "lena-password");
      ApiClient busy = new ApiClient(node).login("lena", "lena-password");
      assertThat(sessionRows(node)).isEqualTo(2);

      long started = System.nanoTime();
      // Used every second for twice the idle time: only a sliding deadline keeps it alive.
      while (System.nanoTime() - started < Duration.ofSeconds(2L * IDLE_SECONDS).toNanos()) {
        ApiClient.Reply me = busy.get("/api/auth/me");
        assertThat(me.status()).as("a session in use after %d s", (System.nanoTime() - started) / 1_000_000_000).isEqualTo(200);
        Thread.sleep(1_000);
      }
      ApiClient.Reply ended = idle.get("/api/auth/me");
      assertThat(ended.status()).as("unused for twice the idle time").isEqualTo(401);
      assertThat(ended.json().getString("error")).isEqualTo("session expired or logged out");
      Await.within(Duration.ofSeconds(20)).until("the idle session's row is purged", () -> sessionRows(node) == 1);
      assertThat(busy.get("/api/auth/me").status()).isEqualTo(200);
    }
  }

  /** Lena's session rows, read straight from the node's database. */
  private static int sessionRows(TestNode node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'lena'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
