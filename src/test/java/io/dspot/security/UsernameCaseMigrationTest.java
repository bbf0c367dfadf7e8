package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V3 makes usernames unique ignoring case. On a real PostgreSQL holding accounts from before it:
 * clashes stop the start and are named; without clashes the index is there and old users log in.
 */
class UsernameCaseMigrationTest {

  @TempDir Path pgDir;

  @Test
  void clashingNamesStopTheStartAndAreNamed() throws Exception {
    try (EmbeddedPostgres pg = oldSchema()) {
      String url = url(pg);
      insertUsers(url, "alice", "Alice", "bob", "BOB", "carol");
      assertThatThrownBy(() -> TestNode.builder().set("DSPOT_DB_URL", url).start().close())
          // What Main logs when a start fails: the exception's toString.
          .satisfies(e -> assertThat(e.toString()).contains("these accounts clash: Alice, alice; BOB, bob."))
          .rootCause()
          .hasMessageContaining("usernames must be unique ignoring case, but these accounts clash")
          .hasMessageContaining("Alice, alice")
          .hasMessageContaining("BOB, bob")
          .hasMessageNotContaining("carol");
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM users");
        rs.next();
        assertThat(rs.getInt(1)).as("nothing merged or dropped").isEqualTo(5);
      }
    }
  }

  @Test
  void withoutClashesTheIndexRefusesNewOnesAndOldUsersLogIn() throws Exception {
    try (EmbeddedPostgres pg = oldSchema()) {
      String url = url(pg);
      insertUsers(url, "Dora");
      try (TestNode node = TestNode.builder().set("DSPOT_DB_URL", url).start()) {
        assertThat(new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "dora").put("password", "dora-password"))
            .status()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
          assertThatThrownBy(() -> insertUser(c, "DORA")).isInstanceOf(SQLException.class).hasMessageContaining("users_username_lower");
        }
      }
    }
  }

  private EmbeddedPostgres oldSchema() throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(true).setPort(Ports.take()).start();
    Flyway.configure().dataSource(url(pg), "postgres", "").locations("classpath:db/migration").target("2").load().migrate();
    return pg;
  }

  private static String url(EmbeddedPostgres pg) {
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
  }

  private static void insertUsers(String url, String... names) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      for (String name : names) {
        insertUser(c, name);
      }
    }
  }

  /** As version 2 stored them: the password is the lower-cased name + "-password". */
  private static void insertUser(Connection c, String name) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO users (id, username, password_hash, role, created_at) VALUES (gen_random_uuid(), ?, ?, 'listener', now())")) {
      insert.setString(1, name);
      insert.setString(2, PasswordHasher.hash(name.toLowerCase() + "-password"));
      insert.executeUpdate();
    }
  }
}
