package io.dspot.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL accepts only this node: zonky's initdb writes {@code trust} for every
 * local connection (any local user would be a superuser, and {@code COPY ... TO PROGRAM} runs
 * commands), so at first start the node generates a random password, keeps it 0600 in the data
 * directory, sets it ({@code scram-sha-256}) while trust still lets it in, then rewrites
 * {@code pg_hba.conf} without trust and reloads. A data directory from before this change goes the
 * same way on its next start. Blocking; runs in {@code main}.
 *
 * <p>Between initdb and the rewrite (the first start only, a second or so) the old trust rule is
 * in force: zonky connects over TCP to check the server is up and offers no hook in between.
 */
final class PostgresLockdown {

  private static final Logger log = LoggerFactory.getLogger(PostgresLockdown.class);
  static final String SECRET_FILE = "postgres.password";
  private static final List<String> HBA = List.of(
      "# Written by dspot: only this node, with the password kept in <dataDir>/" + SECRET_FILE + ".",
      "# TYPE  DATABASE  USER  ADDRESS        METHOD",
      "local   all       all                  scram-sha-256",
      "host    all       all   127.0.0.1/32   scram-sha-256",
      "host    all       all   ::1/128        scram-sha-256");

  private final Path secretFile;
  private final Path hbaFile;

  PostgresLockdown(Path dataDir, Path postgresDir) {
    this.secretFile = dataDir.resolve(SECRET_FILE);
    this.hbaFile = postgresDir.resolve("pg_hba.conf");
  }

  /** The password, generated now if this is the first start (or the first since the change). */
  String password() throws IOException {
    if (Files.exists(secretFile)) {
      String password = Files.readString(secretFile, StandardCharsets.UTF_8).trim();
      if (password.isEmpty()) {
        throw new IllegalStateException(secretFile + " is empty: restore it from a backup or, if the database still trusts local "
            + "connections, delete it to have a new one generated");
      }
      return password;
    }
    if (Files.exists(hbaFile) && !trusts()) {
      throw new IllegalStateException("the embedded PostgreSQL in " + hbaFile.getParent() + " requires a password, but " + secretFile
          + " is missing: restore it from a backup of the data directory");
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path temp = secretFile.resolveSibling(SECRET_FILE + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
    Files.move(temp, secretFile, StandardCopyOption.ATOMIC_MOVE);
    log.info("generated the embedded PostgreSQL's password into {} (0600)", secretFile);
    return password;
  }

  /** Sets the password and removes trust, if trust is still there; a no-op on every later start. */
  void apply(String jdbcUrl, String user, String password) throws IOException, SQLException {
    if (!trusts()) {
      return;
    }
    Properties credentials = new Properties();
    credentials.setProperty("user", user);
    credentials.setProperty("password", password);
    try (Connection c = DriverManager.getConnection(jdbcUrl, credentials); Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      // Base64url: no quote can end the literal.
      s.execute("ALTER ROLE \"" + user + "\" PASSWORD '" + password + "'");
      // In place: the file keeps the owner and mode initdb gave it (as root, postgres runs in a user namespace).
      Files.write(hbaFile, HBA, StandardCharsets.UTF_8);
      s.execute("SELECT pg_reload_conf()");
    }
    log.info("embedded PostgreSQL: trust removed from {}, connections need the password (scram-sha-256)", hbaFile);
  }

  private boolean trusts() throws IOException {
    return Files.readAllLines(hbaFile).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .anyMatch(line -> line.matches(".*\\strust(\\s.*)?$"));
  }
}
