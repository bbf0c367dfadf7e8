package io.dspot.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One write of a batch that PostgreSQL itself refuses (a constraint, not a check in Java) is that
 * write's failure alone: the holder's other writes in the same batch commit, in order, against a
 * real PostgreSQL. Before, the pg client turned the batch's COMMIT into a ROLLBACK once it had seen
 * the error, savepoint or not, and every write of the batch failed with "Rollback".
 */
class CommandRefusedByPostgresTest {

  private static EmbeddedPostgres pg;
  private static Vertx vertx;
  private static Pool pool;
  private static EventLog eventLog;
  private static Committer committer;

  @BeforeAll
  static void startDatabase() throws Exception {
    pg = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("committer-test")).setCleanDataDirectory(true).start();
    Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
    }
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(pg.getPort())
        .setDatabase("postgres").setUser("postgres")).using(vertx).build();
    eventLog = new EventLog(pool, "c");
    Appliers appliers = new Appliers();
    appliers.register("note.added", (tx, p) -> tx.preparedQuery("INSERT INTO notes (id, body) VALUES ($1, $2)")
        .execute(Tuple.of(p.getInteger("id"), p.getString("body"))).mapEmpty());
    committer = new Committer(eventLog, new EventApplier(vertx, eventLog, appliers, new EpochFence()), "c");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    pool.close().await();
    vertx.close().await();
    pg.close();
  }

  private static OrderedCommand note(int id, String body) {
    JsonObject payload = new JsonObject().put("id", id).put("body", body);
    return tx -> Future.succeededFuture(Decision.record("note.added", payload, new JsonObject().put("id", id)));
  }

  @Test
  void aWriteThatPostgresRefusesFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    long last = eventLog.lastApplied().await();

    Committer.Batch batch = committer.commit(List.of(note(1, "first"), note(2, null), note(3, "third")), last, 1, "c").await();

    assertThat(batch.outcomes()).hasSize(3);
    assertThat(batch.outcomes().get(0).seq()).isEqualTo(last + 1);
    assertThat(batch.outcomes().get(1).failure()).as("the refused write").isNotNull();
    assertThat(batch.outcomes().get(1).failure().getMessage()).contains("not-null");
    assertThat(batch.outcomes().get(1).seq()).isZero();
    assertThat(batch.outcomes().get(2).failure()).isNull();
    assertThat(batch.outcomes().get(2).seq()).as("the next write takes the next number: no gap").isEqualTo(last + 2);
    assertThat(batch.lastSeq()).isEqualTo(last + 2);
    assertThat(rows("SELECT id || ' ' || body FROM notes ORDER BY id")).containsExactly("1 first", "3 third");
    assertThat(rows("SELECT seq || ' ' || event_type FROM outbox WHERE seq > " + last + " ORDER BY seq"))
        .containsExactly((last + 1) + " note.added", (last + 2) + " note.added");
    assertThat(rows("SELECT last_seq::text FROM applied_state")).containsExactly(String.valueOf(last + 2));
  }

  private static List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
