package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The token holder's side of a write: a batch of commands in one transaction. Every recorded
 * event takes the next sequence number and is applied by the same applier the other nodes will
 * run. The batch first runs without savepoints; if anything in it fails it runs again with each
 * command under its own savepoint, so a refused command does not undo the others. On the fast
 * path, commands that declare independent keys are decided together (decide-ahead, see
 * {@link #decideAhead}); the careful path decides one command at a time.
 */
final class Committer {

  /** A command's fate: its answer or its failure, and the sequence number its event got (0: none). */
  record Outcome(JsonObject result, Throwable failure, long seq) {}

  record Batch(List<Outcome> outcomes, long lastSeq, List<Event> events) {}

  /** This node's log is not where the token says it must be. */
  static final class NotInStep extends IllegalStateException {
    NotInStep(String message) {
      super(message);
    }
  }

  /** What one walk over the batch writes under: the token's epoch, and what it gathers. */
  private record Walk(SqlConnection tx, List<OrderedCommand> commands, long epoch, String owner, boolean careful,
      List<Outcome> outcomes, List<Event> recorded, List<Future<Void>> inFlight) {}

  private final EventLog eventLog;
  private final EventApplier applier;
  private final String nodeId;

  Committer(EventLog eventLog, EventApplier applier, String nodeId) {
    this.eventLog = eventLog;
    this.applier = applier;
    this.nodeId = nodeId;
  }

  /**
   * Commits under the given epoch, continuing from {@code expectedLast}; fails without touching
   * anything if this node's log is not exactly there (it must catch up first).
   */
  Future<Batch> commit(List<OrderedCommand> commands, long expectedLast, long epoch, String epochOwner) {
    // Fast path: one transaction, no savepoints. Any refusal or failure rolls it all back and the
    // batch runs again command by command under savepoints.
    return attempt(commands, expectedLast, epoch, epochOwner, false)
        .recover(e -> e instanceof NotInStep ? Future.failedFuture(e) : attempt(commands, expectedLast, epoch, epochOwner, true));
  }

  private Future<Batch> attempt(List<OrderedCommand> commands, long expectedLast, long epoch, String epochOwner, boolean careful) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Event> recorded = new ArrayList<>();
    List<Future<Void>> inFlight = new ArrayList<>();
    return eventLog.inLockedTransaction((tx, locked) -> {
          Walk walk = new Walk(tx, commands, epoch, epochOwner, careful, outcomes, recorded, inFlight);
          // Fast path: the first run's decides (reads) go out right behind BEGIN and the lock, so
          // the hold does not wait a round trip for the lock first. PostgreSQL runs them once the
          // lock is held, so they read the same as after it; if the log is not where the token
          // says, their answers are dropped with the transaction.
          int first = careful || commands.isEmpty() ? 0 : runEnd(commands, 0);
          List<Future<Decision>> early = decides(walk, 0, first);
          List<Future<?>> sent = new ArrayList<>(early);
          sent.add(locked);
          return Future.join(sent).transform(ignored -> {
            if (locked.failed()) {
              return Future.failedFuture(locked.cause());
            }
            long last = locked.result();
            if (last != expectedLast) {
              return Future.failedFuture(new NotInStep("log at " + last + ", token expects " + expectedLast));
            }
            Future<Long> earlyRecorded = first == 0 ? Future.succeededFuture(last) : recordDecided(walk, early, last);
            return earlyRecorded.compose(after -> walk(walk, first, after)).compose(newLast -> recordAll(walk, expectedLast, newLast));
          });
        })
        .map(last -> {
          eventLog.appliedUpTo(last);
          applier.announce(recorded);
          return new Batch(outcomes, last, List.copyOf(recorded));
        });
  }

  /**
   * The batch's outbox rows and applied number go out right after its last command, without
   * waiting for the pipelined applies' answers (they run first, being sent first); the batch is
   * done once every answer is in (see {@link EventLog#appendAndMark}).
   */
  private Future<Long> recordAll(Walk walk, long from, long to) {
    List<Future<Void>> answers = new ArrayList<>(walk.inFlight());
    answers.add(eventLog.appendAndMark(walk.tx(), walk.recorded(), from, to));
    return Future.join(answers).map(to);
  }

  /**
   * One walk for both paths: careful runs each command under a savepoint and records its refusal
   * as its outcome; fast decides a run of independent commands together (see {@link #runEnd}).
   */
  private Future<Long> walk(Walk walk, int index, long last) {
    if (index >= walk.commands().size()) {
      return Future.succeededFuture(last);
    }
    int end = walk.careful() ? index + 1 : runEnd(walk.commands(), index);
    if (end - index > 1) {
      return decideAhead(walk, index, end, last).compose(newLast -> walk(walk, end, newLast));
    }
    OrderedCommand command = walk.commands().get(index);
    Future<Outcome> outcome = walk.careful()
        ? EventLog.underSavepoint(walk.tx(), "command", () -> runOne(walk, command, last),
            failure -> Future.succeededFuture(new Outcome(null, failure, 0)))
        : runOne(walk, command, last);
    return outcome.compose(o -> {
      walk.outcomes().add(o);
      return walk(walk, index + 1, o.seq() > 0 ? o.seq() : last);
    });
  }

  /**
   * Where the run of commands starting at {@code from} that may be decided together ends
   * (exclusive): consecutive commands that declare a key ({@link OrderedCommand#decidesOn}), all
   * of one family, no key twice. Their family promises that none of them writes what another's
   * decide reads, so deciding them all before applying any gives what deciding each after the
   * previous one's apply gives. A command without a key, of another family, or on a key already
   * in the run ends it, and is decided after the run's applies were sent, as every command used to be:
   * the second write to a playlist reads what the first one wrote.
   */
  static int runEnd(List<OrderedCommand> commands, int from) {
    OrderedCommand.DecideKey first = commands.get(from).decidesOn();
    if (first == null) {
      return from + 1;
    }
    Set<String> keys = new HashSet<>();
    int end = from;
    while (end < commands.size()) {
      OrderedCommand.DecideKey key = commands.get(end).decidesOn();
      if (key == null || !key.family().equals(first.family()) || !keys.add(key.key())) {
        break;
      }
      end++;
    }
    return end;
  }

  /**
   * Decide-ahead (fast path only): every decide of the run is sent on the transaction's connection
   * before any answer comes back (the client pipelines), so the run costs about one round trip
   * instead of one per command. PostgreSQL runs a connection's statements in the order sent: each
   * decide reads every earlier command's applies, which were sent before the run, and none of the
   * run's own (the family's promise makes that the same answer). The events are then numbered,
   * recorded and applied in command order, exactly as one at a time. The walk waits for every
   * decide to finish, refused or not, before it goes on or gives up: a decide may send a second
   * query once its first is answered, and that query must not reach the connection after the
   * transaction is over. Any refusal fails the fast path as before, and the careful path decides
   * the batch again one command at a time, so a refused command is still answered alone.
   */
  private Future<Long> decideAhead(Walk walk, int from, int end, long last) {
    return recordDecided(walk, decides(walk, from, end), last);
  }

  /** Sends the decides of commands {@code from} to {@code end} (exclusive) at once, in order. */
  private static List<Future<Decision>> decides(Walk walk, int from, int end) {
    List<Future<Decision>> decisions = new ArrayList<>();
    for (int i = from; i < end; i++) {
      decisions.add(decide(walk.commands().get(i), walk.tx()));
    }
    return decisions;
  }

  /** Once every decide of a run has answered (refused or not), records their events in command order; any refusal fails the walk. */
  private Future<Long> recordDecided(Walk walk, List<Future<Decision>> decisions, long last) {
    return Future.join(decisions).compose(all -> recordInOrder(walk, decisions, 0, last));
  }

  private Future<Long> recordInOrder(Walk walk, List<Future<Decision>> decisions, int index, long last) {
    if (index >= decisions.size()) {
      return Future.succeededFuture(last);
    }
    return record(walk, decisions.get(index).result(), last).compose(o -> {
      walk.outcomes().add(o);
      return recordInOrder(walk, decisions, index + 1, o.seq() > 0 ? o.seq() : last);
    });
  }

  private Future<Outcome> runOne(Walk walk, OrderedCommand command, long last) {
    return decide(command, walk.tx()).compose(decision -> record(walk, decision, last));
  }

  /** Numbers the decided event after {@code last} and applies it (or answers without an event). */
  private Future<Outcome> record(Walk walk, Decision decision, long last) {
    if (!decision.recordsEvent()) {
      return Future.succeededFuture(new Outcome(decision.result(), null, 0));
    }
    Event e = new Event(last + 1, walk.epoch(), walk.owner(), decision.type(), decision.payload(), nodeId);
    Applier apply = applier.appliers().find(e.type());
    if (apply == null) {
      return Future.failedFuture(new IllegalStateException("no applier for " + e.type()));
    }
    Future<Void> applied = EventApplier.run(apply, walk.tx(), e.payload());
    if (!walk.careful() && apply.pipelined()) {
      // Its statements are sent: the next command's reads follow them on the connection, and
      // the batch waits for their answers before it records anything (see Applier.pipelined).
      walk.inFlight().add(applied);
      walk.recorded().add(e);
      return Future.succeededFuture(new Outcome(decision.result(), null, e.seq()));
    }
    return applied.map(v -> {
      walk.recorded().add(e);
      return new Outcome(decision.result(), null, e.seq());
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
