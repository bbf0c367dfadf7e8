package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The attack: a local user connects to the embedded PostgreSQL's port as {@code postgres} (a
 * superuser, who could run {@code COPY ... TO PROGRAM}). Without the node's secret it is refused.
 */
class EmbeddedDatabaseSecretTest {

  @Test
  void aConnectionWithoutTheSecretIsRefusedAndTheNodeStillWorksAfterARestart() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      String url = bareUrl(node);
      assertRefused(url, null);
      assertRefused(url, "postgres");
      assertRefused(url, "");

      Path secret = node.dataDir().resolve("postgres.password");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
      assertThat(Files.readAllLines(node.dataDir().resolve("postgres/pg_hba.conf")))
          .filteredOn(line -> !line.startsWith("#")).noneMatch(line -> line.contains("trust"));
      try (Connection c = connect(url, Files.readString(secret).trim()); ResultSet rs = c.createStatement().executeQuery(
          "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'")) {
        assertThat(rs.next() && rs.getBoolean(1)).as("the password is stored as a SCRAM verifier").isTrue();
      }

      new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.mp3"));
      node.restart();
      assertThat(new ApiClient(node).asAdmin().get("/api/songs").json().getLong("total")).isEqualTo(1);
      assertRefused(bareUrl(node), null);
    }
  }

  /** A data directory made before the change (initdb's trust rules, no secret) is locked down on its next start. */
  @Test
  void aDataDirectoryFromBeforeTheChangeIsMigrated(@org.junit.jupiter.api.io.TempDir Path dataDir) throws Exception {
    int port = Ports.take();
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
        .setCleanDataDirectory(false).setPort(port).start()) {
      try (Connection c = connect("jdbc:postgresql://127.0.0.1:" + port + "/postgres", null)) {
        assertThat(c.isValid(5)).as("before: trust lets anyone in").isTrue();
      }
    }
    try (TestNode node = TestNode.builder().dataDir(dataDir).set("DSPOT_DB_EMBEDDED_PORT", Integer.toString(port)).start()) {
      assertThat(Files.exists(dataDir.resolve("postgres.password"))).isTrue();
      assertRefused(bareUrl(node), null);
      assertThat(new ApiClient(node).asAdmin().get("/api/songs").status()).isEqualTo(200);
    }
  }

  private static String bareUrl(TestNode node) {
    String url = node.node().jdbcUrl();
    return url.substring(0, url.indexOf('?')).replace("localhost", "127.0.0.1");
  }

  private static Connection connect(String url, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  private static void assertRefused(String url, String password) {
    assertThatThrownBy(() -> connect(url, password).close()).as("connecting with password %s", password)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("password authentication failed",
            // pgjdbc does not even try without a password once the server asks for SCRAM
            "server requested SCRAM-based authentication"));
  }
}
