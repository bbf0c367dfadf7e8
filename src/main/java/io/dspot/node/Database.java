package io.dspot.node;

import io.dspot.config.ConfigException;
import io.dspot.config.NodeConfig;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's PostgreSQL: the embedded one under the data directory unless {@code db.url} names an
 * external server. Started and migrated from {@code main}, before Vert.x exists, so blocking is fine.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);
  /** The embedded server's only role (initdb's superuser). */
  private static final String USER = "postgres";

  private final EmbeddedPostgres embedded;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private Database(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
    this.embedded = embedded;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  public static Database start(NodeConfig config) {
    NodeConfig.Db db = config.db();
    if (!db.embedded()) {
      if (!db.url().startsWith("jdbc:postgresql://")) {
        throw new ConfigException("db.url", "must look like jdbc:postgresql://host:port/database, got '" + db.url() + "'");
      }
      return new Database(null, db.url(), db.user(), db.password());
    }
    try {
      Files.createDirectories(config.postgresDir());
      stopOrphan(config.postgresDir());
      PostgresLockdown lockdown = new PostgresLockdown(config.dataDir(), config.postgresDir());
      String password = lockdown.password();
      long started = System.nanoTime();
      // As root, zonky runs initdb and postgres inside `unshare -U`, where they are not root.
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      PostgresSettings.forPool(db.poolSize()).forEach(builder::setServerConfig);
      EmbeddedPostgres pg = builder
          .setDataDirectory(config.postgresDir())
          .setCleanDataDirectory(false)
          .setPort(db.embeddedPort())
          // zonky turns these off for fast tests; an acknowledged upload must survive a crash.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "on")
          // After a crash PostgreSQL replays its WAL first; on a busy machine that takes a while.
          .setPGStartupWait(java.time.Duration.ofSeconds(90))
          .setServerConfig("password_encryption", "scram-sha-256")
          // TCP on loopback only. Its Unix socket would go to the shared /tmp, named by the port
          // alone: nodes in separate network namespaces (or containers sharing /tmp) can pick the
          // same free port, and the second PostgreSQL then refused to start on the first's lock file.
          .setServerConfig("unix_socket_directories", "")
          // zonky's own readiness check connects too; with trust still in place the password is ignored.
          .setConnectConfig("password", password)
          .start();
      String jdbcUrl = pg.getJdbcUrl(USER, "postgres");
      try {
        lockdown.apply(jdbcUrl, USER, password);
      } catch (java.sql.SQLException | IOException | RuntimeException e) {
        pg.close();
        throw new IllegalStateException("cannot set the embedded PostgreSQL's password: " + e.getMessage(), e);
      }
      log.info("embedded PostgreSQL on 127.0.0.1:{} with data in {} ({} ms)",
          pg.getPort(), config.postgresDir(), (System.nanoTime() - started) / 1_000_000);
      return new Database(pg, jdbcUrl, USER, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL in " + config.postgresDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A node killed with -9 leaves its embedded PostgreSQL running (it is a separate process), and a
   * second server cannot open the same data directory. Stop the orphan and its backends: PostgreSQL
   * recovers from its write-ahead log on the next start, exactly as after a power cut. A pid file
   * whose process is gone (or whose pid now belongs to someone else) is removed, because PostgreSQL
   * refuses to start while that pid is alive, whatever it is now.
   */
  static void stopOrphan(java.nio.file.Path dataDir) {
    java.nio.file.Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      var handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> isPostmasterOf(pid, dataDir));
      if (handle.isPresent()) {
        log.warn("stopping the PostgreSQL (pid {}) left running on {} by an earlier crash of this node", pid, dataDir);
        var backends = handle.get().descendants().toList();
        handle.get().destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        for (ProcessHandle backend : backends) {
          backend.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
      } else {
        log.warn("removing the stale {} left by an earlier crash (pid {} is not this node's PostgreSQL)", pidFile, pid);
      }
      Files.deleteIfExists(pidFile);
    } catch (Exception e) {
      log.warn("could not check for a PostgreSQL left running on {}: {}", dataDir, e.toString());
    }
  }

  /** Read from /proc: ProcessHandle.info() is empty for processes in another user namespace. */
  private static boolean isPostmasterOf(long pid, java.nio.file.Path dataDir) {
    try {
      String cmdline = Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
      return cmdline.contains("postgres") && cmdline.contains(dataDir.toString());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  public void migrate() {
    Flyway flyway = Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load();
    var result = flyway.migrate();
    var current = flyway.info().current();
    log.info("schema at version {} ({} migrations applied now)", current == null ? "none" : current.getVersion(), result.migrationsExecuted);
  }

  /** How the pool shows in metrics ({@code vertx_pool_*{pool_type="sql",pool_name="dspot-db"}}). */
  static final String POOL_NAME = "dspot-db";

  /**
   * An idle node needs one or two connections, not the import's eight: each open one is a
   * PostgreSQL backend holding 1.5-4 MB of its own (at 10,000 songs, the six an import leaves open
   * were ~25 MB of PostgreSQL's 35 MB PSS a minute later). Closed after 10 s unused, looked for
   * every 5 s: an import's connections are gone within 15 s of its end.
   */
  static final int IDLE_CONNECTION_SECONDS = 10;
  static final int POOL_CLEANER_MILLIS = 5_000;
  /**
   * One connection is kept: a new one after a lull costs the listener's next click a TCP connect,
   * SCRAM's key derivation on both sides, a backend's cold catalog cache and every statement prepared
   * again.
   * On a cluster the leader polls keep one in use anyway; a single node has nothing else that does.
   */
  static final long KEEP_ONE_MILLIS = (IDLE_CONNECTION_SECONDS - 3) * 1_000L;

  public Pool pool(Vertx vertx, int size) {
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(POOL_NAME)
            .setIdleTimeout(IDLE_CONNECTION_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS).setPoolCleanerPeriod(POOL_CLEANER_MILLIS))
        .connectingTo(connectOptions())
        .using(vertx)
        .build();
    vertx.setPeriodic(KEEP_ONE_MILLIS, t -> pool.query("SELECT 1").execute());
    return pool;
  }

  public PgConnectOptions connectOptions() {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    return new PgConnectOptions()
        .setHost(uri.getHost())
        .setPort(uri.getPort() < 0 ? 5432 : uri.getPort())
        .setDatabase(uri.getPath().isEmpty() ? "postgres" : uri.getPath().substring(1))
        .setUser(user)
        .setPassword(password)
        .setCachePreparedStatements(true)
        // The node's queries take milliseconds; PostgreSQL's JIT (on by default where it is built
        // in, as in Debian's server) compiles for tens of ms once a plan's estimate passes
        // jit_above_cost, which a generic plan of the history page does. Compiling never pays here.
        .addProperty("jit", "off");
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The URL with user and password as parameters, for tools that take one string (pgjdbc lets them win over its other arguments). */
  String jdbcUrlWithCredentials() {
    String base = jdbcUrl.replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return base + (base.contains("?") ? "&" : "?") + "user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
        + "&password=" + java.net.URLEncoder.encode(password == null ? "" : password, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
