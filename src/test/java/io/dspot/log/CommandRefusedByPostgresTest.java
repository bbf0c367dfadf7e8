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
 *
 * <p>Also decide-ahead: keyed commands of one family with distinct keys are decided together
 * before any of them is applied, and a batch answers exactly as it does one command at a time.
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
      s.execute("CREATE TABLE counters (name text PRIMARY KEY, value int NOT NULL)");
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
    // Pipelined, and refused by its own check once its INSERT is answered: a failure PostgreSQL never saw.
    appliers.register("note.checked", Applier.pipelined((tx, p) -> tx.preparedQuery("INSERT INTO notes (id, body) VALUES ($1, $2)")
        .execute(Tuple.of(p.getInteger("id"), p.getString("body")))
        .compose(rows -> p.getBoolean("refuse", false) ? Future.failedFuture(new IllegalStateException("refused after its insert"))
            : Future.<Void>succeededFuture())));
    appliers.register("counter.set", (tx, p) -> tx.preparedQuery(SET_COUNTER).execute(Tuple.of(p.getString("name"), p.getInteger("value"))).mapEmpty());
    appliers.register("counter.piped", Applier.pipelined((tx, p) -> tx.preparedQuery(SET_COUNTER)
        .execute(Tuple.of(p.getString("name"), p.getInteger("value"))).mapEmpty()));
    applier = new EventApplier(vertx, eventLog, appliers, new EpochFence());
    committer = new Committer(eventLog, applier, "c");
  }

  private static final String SET_COUNTER =
      "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value";

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

  private static OrderedCommand checked(int id, boolean refuse) {
    JsonObject payload = new JsonObject().put("id", id).put("body", "n" + id).put("refuse", refuse);
    return tx -> Future.succeededFuture(Decision.record("note.checked", payload, new JsonObject().put("id", id)));
  }

  /**
   * The batch's outbox rows and applied number go to PostgreSQL before the pipelined applies are
   * answered. When one of those applies then fails on its own check (PostgreSQL saw no error),
   * the whole fast-path transaction must roll back, rows and number included: had any of it
   * committed, the careful retry would find the log moved and refuse the whole batch. The refused
   * write fails alone, its INSERT undone; the others commit without a gap.
   */
  @Test
  void aPipelinedApplyThatFailsAfterTheBatchWasRecordedRollsTheFastPathBackWhole() throws Exception {
    long last = eventLog.lastApplied().await();

    Committer.Batch batch = committer.commit(List.of(checked(101, false), checked(102, true), checked(103, false)), last, 1, "c").await();

    assertThat(batch.outcomes()).extracting(Committer.Outcome::seq).containsExactly(last + 1, 0L, last + 2);
    assertThat(batch.outcomes().get(1).failure()).hasMessageContaining("refused after its insert");
    assertThat(rows("SELECT id::text FROM notes WHERE id BETWEEN 101 AND 103 ORDER BY id")).containsExactly("101", "103");
    assertThat(rows("SELECT seq::text FROM outbox WHERE seq > " + last + " ORDER BY seq"))
        .containsExactly(String.valueOf(last + 1), String.valueOf(last + 2));
    assertThat(rows("SELECT last_seq::text FROM applied_state")).containsExactly(String.valueOf(last + 2));
  }

  /** The same on a follower: the fast path rolls back whole, the careful one parks the refused event and applies the rest. */
  @Test
  void aFollowersPipelinedApplyThatFailsAfterTheBatchWasRecordedIsParkedAlone() throws Exception {
    long last = eventLog.lastApplied().await();
    List<Event> pushed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pushed.add(new Event(last + 1 + i, 1, "c", "note.checked",
          new JsonObject().put("id", 111 + i).put("body", "n" + (111 + i)).put("refuse", i == 1), "other"));
    }

    long applied = applier.apply(pushed).await();

    assertThat(applied).isEqualTo(last + 3);
    assertThat(rows("SELECT id::text FROM notes WHERE id BETWEEN 111 AND 113 ORDER BY id")).containsExactly("111", "113");
    assertThat(rows("SELECT seq::text FROM parked_events WHERE seq > " + last)).containsExactly(String.valueOf(last + 2));
    assertThat(rows("SELECT seq || ' ' || (delivered_at IS NOT NULL) FROM outbox WHERE seq > " + last + " ORDER BY seq"))
        .as("every event has its row; another node's is delivered already")
        .containsExactly((last + 1) + " true", (last + 2) + " true", (last + 3) + " true");
    assertThat(rows("SELECT last_seq::text FROM applied_state")).containsExactly(String.valueOf(last + 3));
  }

  /**
   * The first decides go out before the lock on the applied number has answered. When the log is
   * not where the token says, the commit fails as out of step and writes nothing, and it is not
   * retried command by command (which would commit at the wrong place).
   */
  @Test
  void aBatchForAnotherPlaceInTheLogFailsOutOfStepAndWritesNothing() throws Exception {
    long last = eventLog.lastApplied().await();

    Throwable failure = committer.commit(List.of(keyed("121", piped(121, "a")), keyed("122", piped(122, "b")), piped(123, "c")), last + 5, 1, "c")
        .transform(Future::succeededFuture).await().cause();

    assertThat(failure).isInstanceOf(Committer.NotInStep.class);
    assertThat(rows("SELECT id::text FROM notes WHERE id BETWEEN 121 AND 123")).isEmpty();
    assertThat(rows("SELECT count(*)::text FROM outbox WHERE seq > " + last)).containsExactly("0");
    assertThat(rows("SELECT last_seq::text FROM applied_state")).containsExactly(String.valueOf(last));
  }

  /**
   * A decide sent right behind BEGIN and the lock, while another transaction holds that lock, runs
   * only once the lock is taken: it reads what that transaction committed, as if it had waited.
   */
  @Test
  void aDecideSentBehindTheLockReadsWhatTheLockHolderCommitted() throws Exception {
    long last = eventLog.lastApplied().await();
    try (Connection other = pg.getPostgresDatabase().getConnection(); Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.execute("SELECT last_seq FROM applied_state WHERE id = 1 FOR UPDATE");
      s.execute("INSERT INTO notes (id, body) VALUES (131, 'written under the lock')");

      Future<Committer.Batch> pending = committer.commit(List.of(keyed("132", copyOf(131, 132))), last, 1, "c");
      Thread.sleep(300);
      assertThat(pending.isComplete()).as("waits for the lock").isFalse();
      other.commit();

      Committer.Batch batch = pending.await();
      assertThat(batch.lastSeq()).isEqualTo(last + 1);
    }
    assertThat(rows("SELECT body FROM notes WHERE id = 132")).containsExactly("saw written under the lock");
  }

  // Decide-ahead.

  private static final String FAMILY = "test";

  private static OrderedCommand keyed(String key, OrderedCommand command) {
    return OrderedCommand.keyed(new OrderedCommand.DecideKey(FAMILY, key), command);
  }

  /** Writes a note whose body says what note {@code readId} held when this command was decided. */
  private static OrderedCommand copyOf(int readId, int writeId) {
    return tx -> tx.preparedQuery("SELECT body FROM notes WHERE id = $1").execute(Tuple.of(readId)).map(rows -> {
      String seen = rows.size() == 0 ? "nothing" : rows.iterator().next().getString(0);
      return Decision.record("note.piped", new JsonObject().put("id", writeId).put("body", "saw " + seen), new JsonObject());
    });
  }

  /**
   * The decides of a run go out before any of its applies: a command that (against its family's
   * promise) reads another key's row does not see that command's write. This is what makes a run
   * one round trip; the two tests after it show where a run must end.
   */
  @Test
  void theDecidesOfARunAreSentBeforeItsApplies() throws Exception {
    long last = eventLog.lastApplied().await();

    committer.commit(List.of(keyed("41", piped(41, "forty-one")), keyed("42", copyOf(41, 42))), last, 1, "c").await();

    assertThat(rows("SELECT body FROM notes WHERE id = 42")).containsExactly("saw nothing");
  }

  /** Two commands on the same key in one batch: the second is decided after the first's apply and reads it. */
  @Test
  void theSecondCommandOnAKeyReadsTheFirstOnesWrite() throws Exception {
    long last = eventLog.lastApplied().await();

    Committer.Batch batch = committer.commit(List.of(keyed("51", piped(51, "fifty-one")), keyed("52", piped(52, "fifty-two")),
        keyed("51", copyOf(51, 53))), last, 1, "c").await();

    assertThat(batch.lastSeq()).isEqualTo(last + 3);
    assertThat(rows("SELECT body FROM notes WHERE id = 53")).containsExactly("saw fifty-one");
  }

  /** A command without a key (or of another family) ends the run: it reads every write before it, and so does the run after it. */
  @ParameterizedTest
  @ValueSource(strings = {"no key", "other family"})
  void aCommandOutsideTheRunEndsItAndReadsWhatCameBefore(String breaker) throws Exception {
    long last = eventLog.lastApplied().await();
    int id = breaker.equals("no key") ? 60 : 70;
    OrderedCommand middle = breaker.equals("no key") ? copyOf(id + 1, id + 2)
        : OrderedCommand.keyed(new OrderedCommand.DecideKey("another", "x"), copyOf(id + 1, id + 2));

    committer.commit(List.of(keyed("a", piped(id + 1, "first")), middle, keyed("b", copyOf(id + 2, id + 3))), last, 1, "c").await();

    assertThat(rows("SELECT (id - " + id + ") || ' ' || body FROM notes WHERE id BETWEEN " + (id + 2) + " AND " + (id + 3) + " ORDER BY id"))
        .containsExactly("2 saw first", "3 saw saw first");
  }

  /**
   * A refusal inside a run, by the command (404) or by PostgreSQL (its decide's query fails and
   * aborts the transaction): that command alone fails, the others of the run commit in order with
   * no gap in the sequence numbers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"by the command", "by PostgreSQL"})
  void aRefusalInsideARunIsAnsweredAloneAndTheRestCommitWithoutAGap(String refusal) throws Exception {
    long last = eventLog.lastApplied().await();
    int id = refusal.equals("by the command") ? 80 : 90;
    OrderedCommand refused = refusal.equals("by the command")
        ? tx -> tx.query("SELECT 1").execute().map(rows -> {
          throw new io.dspot.bus.ServiceException(404, "no such thing");
        })
        : tx -> tx.query("SELECT 1 / 0").execute().map(rows -> Decision.nothing(new JsonObject()));
    List<OrderedCommand> commands = List.of(keyed("1", piped(id + 1, "one")), keyed("2", piped(id + 2, "two")), keyed("3", refused),
        keyed("4", piped(id + 4, "four")), keyed("5", copyOf(id + 1, id + 5)));

    Committer.Batch batch = committer.commit(commands, last, 1, "c").await();

    assertThat(batch.outcomes()).extracting(Committer.Outcome::seq).containsExactly(last + 1, last + 2, 0L, last + 3, last + 4);
    assertThat(batch.outcomes().get(2).failure()).hasMessageContaining(refusal.equals("by the command") ? "no such thing" : "division by zero");
    assertThat(batch.outcomes()).filteredOn(o -> o.failure() != null).hasSize(1);
    assertThat(rows("SELECT (id - " + id + ") || ' ' || body FROM notes WHERE id BETWEEN " + (id + 1) + " AND " + (id + 5) + " ORDER BY id"))
        .containsExactly("1 one", "2 two", "4 four", "5 saw one");
    assertThat(rows("SELECT seq::text FROM outbox WHERE seq > " + last + " ORDER BY outbox.seq"))
        .containsExactly(String.valueOf(last + 1), String.valueOf(last + 2), String.valueOf(last + 3), String.valueOf(last + 4));
  }

  /** Adds one to a counter as this command reads it; answers the new value. */
  private static OrderedCommand increment(String type, String counter) {
    return tx -> tx.preparedQuery("SELECT value FROM counters WHERE name = $1").execute(Tuple.of(counter)).map(rows -> {
      int value = (rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0)) + 1;
      return Decision.record(type, new JsonObject().put("name", counter).put("value", value), new JsonObject().put("value", value));
    });
  }

  /** Sets {@code prefix}total to the sum of the prefix's counters as this command reads them (it reads every key: no key). */
  private static OrderedCommand total(String type, String prefix) {
    return tx -> tx.preparedQuery("SELECT coalesce(sum(value), 0)::int FROM counters WHERE name LIKE $1 AND name <> $2")
        .execute(Tuple.of(prefix + "%", prefix + "total")).map(rows -> {
          int sum = rows.iterator().next().getInteger(0);
          return Decision.record(type, new JsonObject().put("name", prefix + "total").put("value", sum), new JsonObject().put("value", sum));
        });
  }

  /** Nothing to record when the counter is already at least {@code at}: an outcome without a sequence number inside a run. */
  private static OrderedCommand atLeast(String type, String counter, int at) {
    return tx -> tx.preparedQuery("SELECT value FROM counters WHERE name = $1").execute(Tuple.of(counter)).map(rows -> {
      int value = rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
      return value >= at ? Decision.nothing(new JsonObject().put("value", value))
          : Decision.record(type, new JsonObject().put("name", counter).put("value", at), new JsonObject().put("value", at));
    });
  }

  /** The same commands, keyed by their counter or not at all; one batch, so every command of it meets what the others did. */
  private static List<OrderedCommand> counterBatch(String type, String prefix, boolean keys) {
    List<OrderedCommand> out = new ArrayList<>();
    String[] names = {"a", "b", "a", "c", "b", "c", "c", "a", "d", "b"};
    for (int i = 0; i < names.length; i++) {
      String counter = prefix + names[i];
      OrderedCommand command = i == 5 ? atLeast(type, counter, 5) : i == 8 ? atLeast(type, counter, 0) : increment(type, counter);
      out.add(keys ? keyed(counter, command) : command);
      if (i == 4) {
        out.add(total(type, prefix));
      }
    }
    // Keyed, but of another family: it ends the run before it (it reads every counter).
    out.add(OrderedCommand.keyed(new OrderedCommand.DecideKey("sums", prefix), total(type, prefix)));
    return out;
  }

  /** A batch of keyed commands answers exactly as the same commands without keys (one at a time), pipelined applies or not. */
  @ParameterizedTest
  @ValueSource(strings = {"counter.set", "counter.piped"})
  void aDecidedAheadBatchAnswersExactlyAsOneAtATime(String type) throws Exception {
    String sequential = type + "-seq-";
    String ahead = type + "-ahead-";

    long before = eventLog.lastApplied().await();
    Committer.Batch oneAtATime = committer.commit(counterBatch(type, sequential, false), before, 1, "c").await();
    long between = oneAtATime.lastSeq();
    Committer.Batch decidedAhead = committer.commit(counterBatch(type, ahead, true), between, 1, "c").await();

    assertThat(decidedAhead.outcomes()).extracting(o -> o.result().encode())
        .containsExactlyElementsOf(oneAtATime.outcomes().stream().map(o -> o.result().encode()).toList());
    assertThat(decidedAhead.outcomes()).extracting(o -> o.seq() == 0 ? 0 : o.seq() - between)
        .containsExactlyElementsOf(oneAtATime.outcomes().stream().map(o -> o.seq() == 0 ? 0 : o.seq() - before).toList());
    assertThat(decidedAhead.outcomes()).as("one command recorded nothing").extracting(Committer.Outcome::seq).contains(0L);
    assertThat(rows("SELECT substr(name, length('" + ahead + "') + 1) || '=' || value FROM counters WHERE name LIKE '" + ahead + "%' ORDER BY name"))
        .containsExactlyElementsOf(rows("SELECT substr(name, length('" + sequential + "') + 1) || '=' || value FROM counters WHERE name LIKE '"
            + sequential + "%' ORDER BY name"));
    assertThat(rows("SELECT substr(name, length('" + ahead + "') + 1) || '=' || value FROM counters WHERE name LIKE '" + ahead + "%' ORDER BY name"))
        .containsExactly("a=3", "b=3", "c=6", "total=12");
  }

  /** Where runs end: a key, a family, a repeated key or no key. */
  @Test
  void aRunIsConsecutiveDistinctKeysOfOneFamily() {
    OrderedCommand plain = tx -> Future.succeededFuture(Decision.nothing(new JsonObject()));
    OrderedCommand a = keyed("a", plain);
    OrderedCommand b = keyed("b", plain);
    OrderedCommand otherA = OrderedCommand.keyed(new OrderedCommand.DecideKey("other", "a"), plain);
    List<OrderedCommand> commands = List.of(a, b, a, b, plain, a, otherA, b);

    assertThat(Committer.runEnd(commands, 0)).isEqualTo(2);
    assertThat(Committer.runEnd(commands, 2)).isEqualTo(4);
    assertThat(Committer.runEnd(commands, 4)).isEqualTo(5);
    assertThat(Committer.runEnd(commands, 5)).isEqualTo(6);
    assertThat(Committer.runEnd(commands, 6)).isEqualTo(7);
    assertThat(Committer.runEnd(commands, 7)).isEqualTo(8);
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
