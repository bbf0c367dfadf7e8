package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The token holder's side of a write: a batch of commands in one transaction, each under its own
 * savepoint so a refused command does not undo the others. Every recorded event takes the next
 * sequence number and is applied by the same applier the other nodes will run.
 */
public final class Committer {

  /** A command's fate: its answer or its failure, and the sequence number its event got (0: none). */
  public record Outcome(JsonObject result, Throwable failure, long seq) {}

  public record Batch(List<Outcome> outcomes, long lastSeq, List<Event> events) {}

  private final EventLog eventLog;
  private final EventApplier applier;
  private final String nodeId;

  public Committer(EventLog eventLog, EventApplier applier, String nodeId) {
    this.eventLog = eventLog;
    this.applier = applier;
    this.nodeId = nodeId;
  }

  /**
   * Commits under the given epoch, continuing from {@code expectedLast}; fails without touching
   * anything if this node's log is not exactly there (it must catch up first).
   */
  public Future<Batch> commit(List<OrderedCommand> commands, long expectedLast, long epoch, String epochOwner) {
    // Fast path: one transaction, no savepoints, the applied number moved once. Any refusal or
    // failure rolls it all back and the batch runs again command by command under savepoints.
    return attempt(commands, expectedLast, epoch, epochOwner, false)
        .recover(e -> e instanceof NotInStep ? Future.failedFuture(e) : attempt(commands, expectedLast, epoch, epochOwner, true));
  }

  /** This node's log is not where the token says it must be. */
  static final class NotInStep extends IllegalStateException {
    NotInStep(String message) {
      super(message);
    }
  }

  private Future<Batch> attempt(List<OrderedCommand> commands, long expectedLast, long epoch, String epochOwner, boolean careful) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Event> recorded = new ArrayList<>();
    return eventLog.pool().withTransaction(tx -> tx.query(EventApplier.LOCK_APPLIED).execute()
            .compose(rows -> {
              long last = rows.iterator().next().getLong(0);
              if (last != expectedLast) {
                return Future.failedFuture(new NotInStep("log at " + last + ", token expects " + expectedLast));
              }
              return careful
                  ? run(tx, commands, 0, last, epoch, epochOwner, outcomes, recorded)
                  : runFast(tx, commands, 0, last, epoch, epochOwner, outcomes, recorded)
                      .compose(newLast -> eventLog.markApplied(tx, expectedLast, newLast).map(newLast));
            })
            .compose(last -> recorded.isEmpty() ? Future.succeededFuture(last) : eventLog.notifyRelay(tx, last).map(last)))
        .map(last -> {
          applier.announce(recorded);
          return new Batch(outcomes, last, List.copyOf(recorded));
        });
  }

  private Future<Long> runFast(SqlConnection tx, List<OrderedCommand> commands, int index, long last, long epoch, String owner,
      List<Outcome> outcomes, List<Event> recorded) {
    if (index >= commands.size()) {
      return Future.succeededFuture(last);
    }
    return decide(commands.get(index), tx).compose(decision -> {
      if (!decision.recordsEvent()) {
        outcomes.add(new Outcome(decision.result(), null, 0));
        return runFast(tx, commands, index + 1, last, epoch, owner, outcomes, recorded);
      }
      Event e = new Event(last + 1, epoch, owner, decision.type(), decision.payload(), nodeId);
      Applier apply = applier.appliers().find(e.type());
      if (apply == null) {
        return Future.failedFuture(new IllegalStateException("no applier for " + e.type()));
      }
      return apply.apply(tx, e.payload()).compose(v -> eventLog.appendRow(tx, e)).compose(v -> {
        recorded.add(e);
        outcomes.add(new Outcome(decision.result(), null, e.seq()));
        return runFast(tx, commands, index + 1, e.seq(), epoch, owner, outcomes, recorded);
      });
    });
  }

  private Future<Long> run(SqlConnection tx, List<OrderedCommand> commands, int index, long last, long epoch, String owner,
      List<Outcome> outcomes, List<Event> recorded) {
    if (index >= commands.size()) {
      return Future.succeededFuture(last);
    }
    OrderedCommand command = commands.get(index);
    return tx.query("SAVEPOINT command").execute()
        .compose(v -> decide(command, tx))
        .compose(decision -> {
          if (!decision.recordsEvent()) {
            return Future.succeededFuture(new Outcome(decision.result(), null, 0));
          }
          Event e = new Event(last + 1, epoch, owner, decision.type(), decision.payload(), nodeId);
          Applier apply = applier.appliers().find(e.type());
          if (apply == null) {
            return Future.failedFuture(new IllegalStateException("no applier for " + e.type()));
          }
          return apply.apply(tx, e.payload())
              .compose(v -> eventLog.append(tx, e))
              .map(v -> {
                recorded.add(e);
                return new Outcome(decision.result(), null, e.seq());
              });
        })
        .compose(outcome -> tx.query("RELEASE SAVEPOINT command").execute().map(outcome))
        .recover(failure -> tx.query("ROLLBACK TO SAVEPOINT command").execute().map(new Outcome(null, failure, 0)))
        .compose(outcome -> {
          outcomes.add(outcome);
          long next = outcome.seq() > 0 ? outcome.seq() : last;
          return run(tx, commands, index + 1, next, epoch, owner, outcomes, recorded);
        });
  }

  private static Future<Decision> decide(OrderedCommand command, SqlConnection tx) {
    try {
      return command.decide(tx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
