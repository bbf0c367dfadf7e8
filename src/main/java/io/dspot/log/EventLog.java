package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The outbox table as this node's copy of the event log, the last applied sequence number, and
 * the ring epoch this node promised. The log owns only these tables; on a rebuild from peers each
 * module wipes its own through the hook it registered.
 */
final class EventLog {

  /**
   * Opens a transaction and locks the applied number in one round trip: one simple query of two
   * statements. If BEGIN fails PostgreSQL runs nothing after it, so the lock (and whatever follows)
   * never runs outside the transaction.
   */
  static final String BEGIN_AND_LOCK = "BEGIN; SELECT last_seq FROM applied_state WHERE id = 1 FOR UPDATE";
  /**
   * A batch's outbox rows (one array per column, one row per element) and the applied number
   * moved from $8 to $9, in one statement: one round trip and one executor run for the whole
   * batch. The update's row count says whether the log was at $8.
   */
  static final String APPEND_AND_MARK =
      "WITH appended AS (INSERT INTO outbox (seq, epoch, epoch_owner, event_type, payload, origin_node, delivered_at) "
          + "SELECT r.seq, r.epoch, r.owner, r.type, r.payload::jsonb, r.origin, CASE WHEN r.origin = $7 THEN NULL ELSE now() END "
          + "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) "
          + "AS r(seq, epoch, owner, type, payload, origin)) "
          + "UPDATE applied_state SET last_seq = $9 WHERE id = 1 AND last_seq = $8";
  static final String LAST_APPLIED = "SELECT last_seq FROM applied_state WHERE id = 1";
  static final String RANGE =
      "SELECT seq, epoch, epoch_owner, event_type, payload, origin_node FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2";
  static final String UNDELIVERED =
      "SELECT seq, epoch, epoch_owner, event_type, payload, origin_node FROM outbox "
          + "WHERE origin_node = $1 AND delivered_at IS NULL AND seq > $3 ORDER BY seq LIMIT $2";
  static final String MARK_DELIVERED = "UPDATE outbox SET delivered_at = now() WHERE origin_node = $1 AND delivered_at IS NULL AND seq <= $2";
  static final String BACKLOG = "SELECT count(*) FROM outbox WHERE origin_node = $1 AND delivered_at IS NULL";
  static final String PARK = "INSERT INTO parked_events (seq, event_type, payload, error) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
  static final String PARKED = "SELECT seq, event_type, error, parked_at FROM parked_events ORDER BY seq DESC LIMIT 50";
  static final String IDENTITIES = "SELECT seq, epoch, epoch_owner FROM outbox WHERE seq = ANY($1)";
  static final String WIPE = "TRUNCATE outbox, parked_events";
  static final String RESET_APPLIED = "UPDATE applied_state SET last_seq = 0 WHERE id = 1";
  static final String LOAD_PROMISE = "SELECT promised_epoch, promised_owner FROM ring_state WHERE id = 1";
  static final String SAVE_PROMISE = "UPDATE ring_state SET promised_epoch = $1, promised_owner = $2 WHERE id = 1";

  private final Pool pool;
  private final String nodeId;
  private final List<OrderedLog.RebuildHook> rebuildHooks = new CopyOnWriteArrayList<>();
  /** Every apply to this log from other nodes' events goes through this chain, one after the other. */
  private Future<?> tail = Future.succeededFuture();
  /** The last applied sequence number once read; -1 until then. */
  private volatile long applied = -1;

  EventLog(Pool pool, String nodeId) {
    this.pool = pool;
    this.nodeId = nodeId;
  }

  Pool pool() {
    return pool;
  }

  /**
   * Records a batch's events and moves the last applied number from {@code from} to {@code to}, in
   * one statement; fails if the log was not at {@code from}. Sent at once: on a connection with
   * pipelined applies still unanswered, it follows them (PostgreSQL runs them in order, and after
   * a failed one it refuses this too, the transaction being aborted).
   */
  Future<Void> appendAndMark(SqlConnection tx, List<Event> events, long from, long to) {
    if (from == to && events.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = events.size();
    Long[] seqs = new Long[n];
    Long[] epochs = new Long[n];
    String[] owners = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] origins = new String[n];
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      seqs[i] = e.seq();
      epochs[i] = e.epoch();
      owners[i] = e.epochOwner();
      types[i] = e.type();
      payloads[i] = (e.payload() == null ? new JsonObject() : e.payload()).encode();
      origins[i] = e.origin();
    }
    return tx.preparedQuery(APPEND_AND_MARK).execute(Tuple.from(new Object[] {seqs, epochs, owners, types, payloads, origins, nodeId, from, to}))
        .compose(rows -> rows.rowCount() == 1
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("log is not at " + from)));
  }

  Future<Void> park(SqlConnection tx, Event e, String error) {
    return tx.preparedQuery(PARK).execute(Tuple.of(e.seq(), e.type(), e.payload(), error)).mapEmpty();
  }

  /** seq → "epoch/owner" of the stored events among {@code seqs}. */
  Future<java.util.Map<Long, String>> identities(java.util.List<Long> seqs) {
    return pool.preparedQuery(IDENTITIES).execute(Tuple.of(seqs.toArray(Long[]::new))).map(rows -> {
      java.util.Map<Long, String> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getLong(0), r.getLong(1) + "/" + r.getString(2)));
      return out;
    });
  }

  void addRebuildHook(OrderedLog.RebuildHook hook) {
    rebuildHooks.add(0, hook);
  }

  /**
   * Forgets every replicated row, to rebuild this node from its peers' log: in one transaction each
   * module wipes its tables (the last registered first, so a module whose rows reference an earlier
   * one's goes before it), then the log empties its own and starts again at 0.
   */
  Future<Void> rebuild() {
    return pool.withTransaction(tx -> {
      Future<Void> wiped = Future.succeededFuture();
      for (OrderedLog.RebuildHook hook : rebuildHooks) {
        wiped = wiped.compose(v -> hook.wipe(tx));
      }
      return wiped.compose(v -> tx.query(WIPE).execute()).compose(v -> tx.query(RESET_APPLIED).execute());
    }).onSuccess(v -> applied = 0).mapEmpty();
  }

  /**
   * Runs {@code work} in one transaction that savepoints can rescue, holding the row lock on the
   * applied number. BEGIN and the lock go in one round trip (see {@link #BEGIN_AND_LOCK}), and
   * {@code work} is called at once with the applied number still coming (as read under the lock:
   * the truth at that moment, so the in-memory copy is set from it). What it sends before that
   * answer runs after the lock is taken; it must only read, since it may be thrown away (the log
   * not where the caller expected). Not the pool's {@code withTransaction}: once PostgreSQL reports the
   * transaction in error, the pg client marks its Transaction failed for good and turns the COMMIT
   * into a ROLLBACK, even after a {@code ROLLBACK TO SAVEPOINT} put it right, so one event or
   * command parked under a savepoint would take the whole batch with it. BEGIN and COMMIT sent as
   * statements leave that to PostgreSQL. COMMIT goes only once {@code work} succeeded, that is
   * once every statement it sent was answered: a failure the database did not see (an applier's
   * own check) must not be committed.
   */
  <T> Future<T> inLockedTransaction(java.util.function.BiFunction<SqlConnection, Future<Long>, Future<T>> work) {
    return pool.withConnection(conn -> {
      Future<Long> locked = conn.query(BEGIN_AND_LOCK).execute().map(rows -> {
        long last = rows.next().iterator().next().getLong(0);
        appliedIs(last);
        return last;
      });
      Future<T> done;
      try {
        done = work.apply(conn, locked);
      } catch (RuntimeException e) {
        done = locked.transform(ignored -> Future.failedFuture(e));
      }
      return done.compose(result -> conn.query("COMMIT").execute().map(result),
          failure -> conn.query("ROLLBACK").execute().transform(rolledBack -> Future.<T>failedFuture(failure)));
    });
  }

  /** Runs {@code work} under a savepoint; when it fails, rolls back to it and answers with {@code onFailure}. */
  static <T> Future<T> underSavepoint(SqlConnection tx, String name, Supplier<Future<T>> work, Function<Throwable, Future<T>> onFailure) {
    return tx.query("SAVEPOINT " + name).execute()
        .compose(v -> work.get())
        .compose(result -> tx.query("RELEASE SAVEPOINT " + name).execute().map(result))
        .recover(failure -> tx.query("ROLLBACK TO SAVEPOINT " + name).execute().compose(v -> onFailure.apply(failure)));
  }

  /**
   * How far this node's log is applied. Kept in memory: only this log moves it (commits, applies,
   * a rebuild), each time telling {@link #appliedUpTo}; the database is read once, at the start.
   */
  Future<Long> lastApplied() {
    if (applied >= 0) {
      return Future.succeededFuture(applied);
    }
    return lastApplied(pool).map(last -> {
      applied = Math.max(applied, last);
      return applied;
    });
  }

  /** Read under the row lock, so it is the truth at that moment: a cache that went wrong heals here. */
  void appliedIs(long lockedValue) {
    applied = lockedValue;
  }

  /** A transaction that moved the applied number to {@code last} has committed. */
  void appliedUpTo(long last) {
    applied = Math.max(applied, last);
  }

  static Future<Long> lastApplied(SqlClient client) {
    return client.query(LAST_APPLIED).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  Future<List<Event>> range(long after, int limit) {
    return pool.preparedQuery(RANGE).execute(Tuple.of(after, limit)).map(EventLog::events);
  }

  Future<List<Event>> undelivered(int limit) {
    return undelivered(0, limit);
  }

  /** This node's own events not yet marked delivered, after {@code after}, oldest first. */
  Future<List<Event>> undelivered(long after, int limit) {
    return pool.preparedQuery(UNDELIVERED).execute(Tuple.of(nodeId, limit, after)).map(EventLog::events);
  }

  Future<Void> markDelivered(long upTo) {
    return pool.preparedQuery(MARK_DELIVERED).execute(Tuple.of(nodeId, upTo)).mapEmpty();
  }

  Future<Long> backlog() {
    return pool.preparedQuery(BACKLOG).execute(Tuple.of(nodeId)).map(rows -> rows.iterator().next().getLong(0));
  }

  Future<JsonArray> parked() {
    return pool.query(PARKED).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("seq", r.getLong("seq")).put("type", r.getString("event_type"))
            .put("error", r.getString("error")).put("parkedAt", r.getOffsetDateTime("parked_at").toInstant().toString()));
      }
      return out;
    });
  }

  /** Puts the epoch this node last promised (kept across restarts) into the fence. */
  Future<Void> loadPromise(EpochFence fence) {
    return pool.query(LOAD_PROMISE).execute().map(rows -> {
      Row r = rows.iterator().next();
      fence.load(r.getLong(0), r.getString(1));
      return null;
    });
  }

  Future<Void> savePromise(long epoch, String owner) {
    return pool.preparedQuery(SAVE_PROMISE).execute(Tuple.of(epoch, owner)).mapEmpty();
  }

  /** Runs {@code step} after every earlier one has finished; on the log's event loop only. */
  <T> Future<T> serialized(Supplier<Future<T>> step) {
    Future<T> next = tail.transform(ignored -> step.get());
    tail = next;
    return next;
  }

  /** The ring's view of this log: where its promise is kept and how far it is applied. */
  TokenRing.Storage promiseStorage() {
    return new TokenRing.Storage() {
      @Override
      public CompletionStage<Void> savePromise(long epoch, String owner) {
        return EventLog.this.savePromise(epoch, owner).toCompletionStage();
      }

      @Override
      public <T> CompletionStage<T> atLastApplied(Function<Long, T> promise) {
        // A step of the apply chain: nothing is applied between the read and the promise.
        return serialized(() -> lastApplied().map(promise)).toCompletionStage();
      }
    };
  }

  static List<Event> events(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Event> out = new ArrayList<>();
    for (Row r : rows) {
      Object payload = r.getValue("payload");
      out.add(new Event(r.getLong("seq"), r.getLong("epoch"), r.getString("epoch_owner"), r.getString("event_type"),
          payload instanceof JsonObject p ? p : new JsonObject(String.valueOf(payload)), r.getString("origin_node")));
    }
    return out;
  }
}
