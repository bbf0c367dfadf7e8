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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  private static EventApplier applier;

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
    // The same write, marked pipelined: a batch goes on without waiting for its answer.
    appliers.register("note.piped", Applier.pipelined((tx, p) -> tx.preparedQuery("INSERT INTO notes (id, body) VALUES ($1, $2)")
        .execute(Tuple.of(p.getInteger("id"), p.getString("body"))).mapEmpty()));
    applier = new EventApplier(vertx, eventLog, appliers, new EpochFence());
    committer = new Committer(eventLog, applier, "c");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    pool.close().await();
    vertx.close().await();
    pg.close();
  }

  private static OrderedCommand note(String type, int id, String body) {
    JsonObject payload = new JsonObject().put("id", id).put("body", body);
    return tx -> Future.succeededFuture(Decision.record(type, payload, new JsonObject().put("id", id)));
  }

  private static OrderedCommand piped(int id, String body) {
    return note("note.piped", id, body);
  }

  /** note.added waits for each apply; note.piped is pipelined (the batch goes on before its answer). */
  @ParameterizedTest
  @ValueSource(strings = {"note.added", "note.piped"})
  void aWriteThatPostgresRefusesFailsAloneAndTheRestOfItsBatchCommits(String type) throws Exception {
    long last = eventLog.lastApplied().await();
    int id = type.equals("note.piped") ? 10 : 0;

    Committer.Batch batch = committer.commit(List.of(note(type, id + 1, "first"), note(type, id + 2, null), note(type, id + 3, "third")),
        last, 1, "c").await();

    assertThat(batch.outcomes()).hasSize(3);
    assertThat(batch.outcomes().get(0).seq()).isEqualTo(last + 1);
    assertThat(batch.outcomes().get(1).failure()).as("the refused write").isNotNull();
    assertThat(batch.outcomes().get(1).failure().getMessage()).contains("not-null");
    assertThat(batch.outcomes().get(1).seq()).isZero();
    assertThat(batch.outcomes().get(2).failure()).isNull();
    assertThat(batch.outcomes().get(2).seq()).as("the next write takes the next number: no gap").isEqualTo(last + 2);
    assertThat(batch.lastSeq()).isEqualTo(last + 2);
    assertThat(rows("SELECT (id - " + id + ") || ' ' || body FROM notes WHERE id BETWEEN " + (id + 1) + " AND " + (id + 3) + " ORDER BY id"))
        .containsExactly("1 first", "3 third");
    assertThat(rows("SELECT seq || ' ' || event_type FROM outbox WHERE seq > " + last + " ORDER BY seq"))
        .containsExactly((last + 1) + " " + type, (last + 2) + " " + type);
    assertThat(rows("SELECT last_seq::text FROM applied_state")).containsExactly(String.valueOf(last + 2));
  }

  /** The next command's decide runs after the previous command's pipelined apply, on the same connection: it reads that write. */
  @Test
  void aDecideReadsWhatThePreviousPipelinedApplyOfItsBatchWrote() throws Exception {
    long last = eventLog.lastApplied().await();
    OrderedCommand copyOf21 = tx -> tx.preparedQuery("SELECT body FROM notes WHERE id = 21").execute().map(rows -> {
      String seen = rows.size() == 0 ? "nothing" : rows.iterator().next().getString(0);
      return Decision.record("note.piped", new JsonObject().put("id", 22).put("body", "saw " + seen), new JsonObject());
    });

    Committer.Batch batch = committer.commit(List.of(piped(21, "twenty-one"), copyOf21), last, 1, "c").await();

    assertThat(batch.lastSeq()).isEqualTo(last + 2);
    assertThat(rows("SELECT body FROM notes WHERE id = 22")).containsExactly("saw twenty-one");
  }

  /** A follower applies a pushed batch of pipelined events in order; one PostgreSQL refuses is parked, the rest applied. */
  @Test
  void aFollowerAppliesPipelinedEventsAndParksTheOneRefused() throws Exception {
    long last = eventLog.lastApplied().await();
    List<Event> pushed = List.of(
        new Event(last + 1, 1, "c", "note.piped", new JsonObject().put("id", 31).put("body", "a"), "other"),
        new Event(last + 2, 1, "c", "note.piped", new JsonObject().put("id", 32), "other"),
        new Event(last + 3, 1, "c", "note.piped", new JsonObject().put("id", 33).put("body", "c"), "other"));

    long applied = applier.apply(pushed).await();

    assertThat(applied).isEqualTo(last + 3);
    assertThat(rows("SELECT id || ' ' || body FROM notes WHERE id BETWEEN 31 AND 33 ORDER BY id")).containsExactly("31 a", "33 c");
    assertThat(rows("SELECT seq::text FROM parked_events")).contains(String.valueOf(last + 2));
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
