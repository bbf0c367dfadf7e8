package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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
final class EventApplier {

  private static final Logger log = LoggerFactory.getLogger(EventApplier.class);
  /** Only modules on this node listen to applied events. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventLog eventLog;
  private final Appliers appliers;
  private final EpochFence fence;

  EventApplier(Vertx vertx, EventLog eventLog, Appliers appliers, EpochFence fence) {
    this.vertx = vertx;
    this.eventLog = eventLog;
    this.appliers = appliers;
    this.fence = fence;
  }

  Appliers appliers() {
    return appliers;
  }

  /** Applies the events that continue the log (earlier ones are skipped, a gap or a fenced event stops); returns the new last applied. */
  Future<Long> apply(List<Event> batch) {
    long newest = batch.stream().mapToLong(Event::seq).max().orElse(0);
    return eventLog.lastApplied().compose(last -> newest <= last
        // Already here (the token and the relay both bring a holder's events): no transaction.
        ? Future.succeededFuture(last)
        // Fast path without savepoints; if any event fails, run the batch again carefully, where
        // a failing event is parked under its own savepoint.
        : attempt(batch, false).recover(e -> attempt(batch, true)));
  }

  private Future<Long> attempt(List<Event> batch, boolean careful) {
    List<Event> applied = new ArrayList<>();
    List<Future<Void>> inFlight = new ArrayList<>();
    return eventLog.inLockedTransaction((tx, locked) -> locked.compose(last -> walk(new Walk(tx, batch, applied, inFlight, careful), 0, last)
            .compose(now -> {
              // The rows and the applied number follow the pipelined applies on the connection at once.
              List<Future<Void>> answers = new ArrayList<>(inFlight);
              answers.add(eventLog.appendAndMark(tx, applied, last, now));
              return Future.join(answers).map(now);
            })))
        .onSuccess(last -> {
          eventLog.appliedUpTo(last);
          announce(applied);
        });
  }

  /** What one walk over a batch gathers: the events applied, and the pipelined applies not yet answered (fast path only). */
  private record Walk(SqlConnection tx, List<Event> batch, List<Event> applied, List<Future<Void>> inFlight, boolean careful) {}

  /** One walk for both paths: careful puts each event under a savepoint and parks what fails. */
  private Future<Long> walk(Walk walk, int index, long last) {
    if (index >= walk.batch().size()) {
      return Future.succeededFuture(last);
    }
    Event e = walk.batch().get(index);
    if (e.seq() <= last) {
      return walk(walk, index + 1, last);
    }
    if (e.seq() != last + 1 || !fence.admits(e.epoch(), e.epochOwner(), e.seq())) {
      // A gap, or an event of an epoch this node promised to refuse past this point (whichever
      // path brought it: a relay, the token, a catch-up): stop here.
      return Future.succeededFuture(last);
    }
    Future<Void> one = applyOne(walk.tx(), e, walk.careful());
    if (!walk.careful() && pipelined(e)) {
      // Its statements are sent: the next event's follow them on the connection.
      walk.inFlight().add(one);
      walk.applied().add(e);
      return walk(walk, index + 1, e.seq());
    }
    return one.compose(v -> {
      walk.applied().add(e);
      return walk(walk, index + 1, e.seq());
    });
  }

  private boolean pipelined(Event e) {
    Applier applier = appliers.find(e.type());
    return applier != null && e.payload() != null && applier.pipelined();
  }

  /** Runs the event's applier; fast, a failure fails the walk; careful, it parks the event and keeps the order. */
  private Future<Void> applyOne(SqlConnection tx, Event e, boolean careful) {
    Applier applier = appliers.find(e.type());
    if (applier == null || e.payload() == null) {
      if (!careful) {
        return Future.failedFuture(new IllegalStateException("event " + e.seq() + " needs parking"));
      }
      String why = applier == null ? "unknown event type '" + e.type() + "'" : "event without a payload";
      log.warn("parking event {}: {}", e.seq(), why);
      return eventLog.park(tx, e, why);
    }
    if (!careful) {
      return run(applier, tx, e.payload());
    }
    return EventLog.underSavepoint(tx, "apply_event", () -> run(applier, tx, e.payload()), failure -> {
      log.warn("parking event {} ({}): {}", e.seq(), e.type(), failure.getMessage());
      return eventLog.park(tx, e, String.valueOf(failure.getMessage()));
    });
  }

  /** An applier's work as a future, also when it throws instead of failing one (the holder's commit runs appliers too). */
  static Future<Void> run(Applier applier, SqlConnection tx, JsonObject payload) {
    try {
      return applier.apply(tx, payload);
    } catch (RuntimeException ex) {
      return Future.failedFuture(ex);
    }
  }

  /** After commit: modules on this node react to applied events (drop caches, delete bytes). */
  void announce(List<Event> applied) {
    for (Event e : applied) {
      vertx.eventBus().publish(LogAddresses.APPLIED_PREFIX + e.type(), e.payload() == null ? new JsonObject() : e.payload(), LOCAL);
    }
    if (!applied.isEmpty()) {
      vertx.eventBus().publish(LogAddresses.APPLIED, new JsonObject().put("lastApplied", applied.get(applied.size() - 1).seq()), LOCAL);
    }
  }
}
