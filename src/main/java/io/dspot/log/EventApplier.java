package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies events strictly in sequence order, each exactly once in effect: the change and the new
 * last applied number commit in one transaction, so a crash at any point leaves either both or
 * neither. An event no module can apply is parked (recorded, skipped) instead of blocking the log.
 */
public final class EventApplier {

  private static final Logger log = LoggerFactory.getLogger(EventApplier.class);
  static final String LOCK_APPLIED = "SELECT last_seq FROM applied_state WHERE id = 1 FOR UPDATE";

  private final Vertx vertx;
  private final EventLog eventLog;
  private final Appliers appliers;

  public EventApplier(Vertx vertx, EventLog eventLog, Appliers appliers) {
    this.vertx = vertx;
    this.eventLog = eventLog;
    this.appliers = appliers;
  }

  public Appliers appliers() {
    return appliers;
  }

  /** Applies the events that continue the log (earlier ones are skipped, a gap stops); returns the new last applied. */
  public Future<Long> apply(List<Event> batch) {
    // Fast path without savepoints; if any event fails, run the batch again carefully, where a
    // failing event is parked under its own savepoint.
    return attempt(batch, false).recover(e -> attempt(batch, true));
  }

  private Future<Long> attempt(List<Event> batch, boolean careful) {
    List<Event> applied = new ArrayList<>();
    return eventLog.pool().withTransaction(tx -> tx.query(LOCK_APPLIED).execute()
            .map(rows -> rows.iterator().next().getLong(0))
            .compose(last -> careful
                ? applyFrom(tx, batch, 0, last, applied)
                : applyFast(tx, batch, 0, last, applied).compose(now -> eventLog.markApplied(tx, last, now).map(now))))
        .onSuccess(last -> announce(applied));
  }

  private Future<Long> applyFast(SqlConnection tx, List<Event> batch, int index, long last, List<Event> applied) {
    if (index >= batch.size()) {
      return Future.succeededFuture(last);
    }
    Event e = batch.get(index);
    if (e.seq() <= last) {
      return applyFast(tx, batch, index + 1, last, applied);
    }
    if (e.seq() != last + 1) {
      return Future.succeededFuture(last);
    }
    Applier applier = appliers.find(e.type());
    if (applier == null || e.payload() == null) {
      return Future.failedFuture(new IllegalStateException("event " + e.seq() + " needs parking"));
    }
    Future<Void> done;
    try {
      done = applier.apply(tx, e.payload());
    } catch (RuntimeException ex) {
      done = Future.failedFuture(ex);
    }
    return done.compose(v -> eventLog.appendRow(tx, e)).compose(v -> {
      applied.add(e);
      return applyFast(tx, batch, index + 1, e.seq(), applied);
    });
  }

  private Future<Long> applyFrom(SqlConnection tx, List<Event> batch, int index, long last, List<Event> applied) {
    if (index >= batch.size()) {
      return Future.succeededFuture(last);
    }
    Event e = batch.get(index);
    if (e.seq() <= last) {
      return applyFrom(tx, batch, index + 1, last, applied);
    }
    if (e.seq() != last + 1) {
      return Future.succeededFuture(last);
    }
    return applyOne(tx, e).compose(v -> {
      applied.add(e);
      return applyFrom(tx, batch, index + 1, e.seq(), applied);
    });
  }

  /** Runs the event's applier under a savepoint; a failure parks the event and keeps the order. */
  Future<Void> applyOne(SqlConnection tx, Event e) {
    Applier applier = appliers.find(e.type());
    if (applier == null || e.payload() == null) {
      String why = applier == null ? "unknown event type '" + e.type() + "'" : "event without a payload";
      log.warn("parking event {}: {}", e.seq(), why);
      return eventLog.park(tx, e, why).compose(v -> eventLog.append(tx, e));
    }
    return tx.query("SAVEPOINT apply_event").execute()
        .compose(v -> {
          try {
            return applier.apply(tx, e.payload());
          } catch (RuntimeException ex) {
            return Future.failedFuture(ex);
          }
        })
        .compose(v -> tx.query("RELEASE SAVEPOINT apply_event").execute().<Void>mapEmpty())
        .recover(failure -> {
          log.warn("parking event {} ({}): {}", e.seq(), e.type(), failure.getMessage());
          return tx.query("ROLLBACK TO SAVEPOINT apply_event").execute()
              .compose(v -> eventLog.park(tx, e, String.valueOf(failure.getMessage())));
        })
        .compose(v -> eventLog.append(tx, e));
  }

  /** After commit: modules react to applied events (drop caches, delete bytes) on this node. */
  public void announce(List<Event> applied) {
    for (Event e : applied) {
      vertx.eventBus().publish(OutboxAddresses.APPLIED_PREFIX + e.type(), e.payload() == null ? new JsonObject() : e.payload());
    }
    if (!applied.isEmpty()) {
      vertx.eventBus().publish(OutboxAddresses.APPLIED, new JsonObject().put("lastApplied", applied.get(applied.size() - 1).seq()));
    }
  }

}
