package io.dspot.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ring's promise against a real PostgreSQL: kept across a restart, and not given when the database refuses it. */
class PromisePersistenceTest {

  private static EmbeddedPostgres pg;
  private static Vertx vertx;
  private static Pool pool;
  private static EventLog eventLog;

  @BeforeAll
  static void startDatabase() throws Exception {
    Path dir = Files.createTempDirectory("promise-test");
    pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
    Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(pg.getPort())
        .setDatabase("postgres").setUser("postgres")).using(vertx).build();
    eventLog = new EventLog(pool, "c");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    pool.close().await();
    vertx.close().await();
    pg.close();
  }

  /** What a restarted node knows: a fresh fence loaded from the database. */
  private static EpochFence afterRestart() {
    EpochFence fence = new EpochFence();
    eventLog.loadPromise(fence).await();
    return fence;
  }

  @Test
  void aGivenPromiseIsRememberedAfterARestartAndOneTheDatabaseRefusesIsNotGiven() throws Exception {
    TokenRing ring = new TokenRing("c", afterRestart(), eventLog.promiseStorage());

    assertThat(ring.prepare(4, "a").toCompletableFuture().join().promised()).isTrue();
    EpochFence restarted = afterRestart();
    assertThat(restarted.epoch()).isEqualTo(4);
    assertThat(restarted.owner()).isEqualTo("a");

    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$");
      s.execute("CREATE TRIGGER refuse_promises BEFORE UPDATE ON ring_state FOR EACH ROW EXECUTE FUNCTION refuse()");
    }
    try {
      TokenRing.PrepareAnswer refused = ring.prepare(5, "b").toCompletableFuture().join();

      assertThat(refused.promised()).isFalse();
      assertThat(refused.epoch()).as("still follows the epoch it could persist").isEqualTo(4);
      assertThat(ring.fence().epoch()).isEqualTo(4);
      assertThat(afterRestart().epoch()).isEqualTo(4);
    } finally {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TRIGGER refuse_promises ON ring_state");
      }
    }
  }
}
