package io.dspot.log;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.bus.ServiceException;
import io.dspot.cluster.LiveNodes;
import io.dspot.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token ring on the event bus. One token (epoch + next global sequence number) exists in the
 * cluster; only its holder commits, so every change gets one place in one total order. A node that
 * wants to write announces a want; the holder serves its own queue, then hands the token to the
 * next node in ring order that wants it, or keeps it while nobody does (an idle ring sends
 * nothing). When the holder is gone, the coordinator (the live node with the smallest id)
 * regenerates the token under a higher epoch once a majority has promised to refuse the old one.
 * The decisions are {@link TokenRing}'s; this class carries messages, timers and batches, on the
 * log's event loop (the same one as the {@link Outbox}, which it calls directly).
 */
final class Ring {

  private static final Logger log = LoggerFactory.getLogger(Ring.class);
  private static final int MAX_BATCH = 200;
  private static final long TICK_MILLIS = 1_000;
  private static final long STALE_WANT_MILLIS = 1_500;
  private static final DeliveryOptions PASS = new DeliveryOptions().setSendTimeout(3_000);
  /** How long a caller waits for a majority to hold its event before hearing 503. */
  private static final long REPLICATION_SECONDS = 10;
  /** How long the holder waits to catch up or to apply what came with the token before moving on. */
  private static final long CATCH_UP_SECONDS = 30;
  /** A write waiting this long for the token, or a holder busy this long, is logged with the reason. */
  private static final long SLOW_MILLIS = 3_000;

  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  private final int majority;
  private final int configuredSize;
  private final LiveNodes nodes;
  private final EventLog eventLog;
  private final Committer committer;
  private final Outbox outbox;
  private final TokenRing ring;
  private final Regeneration regeneration;

  private final RateLimitedWarning slow = new RateLimitedWarning(log, java.time.Duration.ofSeconds(10));
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final WriteQueue queue = new WriteQueue();
  private final Deque<Runnable> afterBusy = new ArrayDeque<>();
  private final CarriedEvents committedThisHold = new CarriedEvents();
  private long tickTimer = -1;
  private boolean busy;
  /** What the holder is busy with, and since when: logged when it takes too long. */
  private String busyWith = "";
  private long busySince;
  private long waitingSince;
  private long lastWantPublished;
  private long committedEvents;

  Ring(Vertx vertx, Context context, String nodeId, int majority, int configuredSize, LiveNodes nodes, EventLog eventLog,
      Committer committer, EpochFence fence, Outbox outbox) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.majority = majority;
    this.configuredSize = configuredSize;
    this.nodes = nodes;
    this.eventLog = eventLog;
    this.committer = committer;
    this.outbox = outbox;
    this.ring = new TokenRing(nodeId, fence, eventLog.promiseStorage());
    this.regeneration = new Regeneration(vertx, context, nodeId, majority, nodes, ring, () -> !busy && hasMajority(), () -> {
      waitingSince = 0;
      serve();
    });
  }

  /**
   * A peer refused this node's events as fenced. Holding a token of an epoch older than the one
   * that peer follows (this node was cut off while the others regenerated it), every write it
   * commits waits for a majority that can never come: drop the token and ask for the live one.
   */
  private void fencedBy(String peer) {
    if (!ring.holding()) {
      return;
    }
    vertx.eventBus().<JsonObject>request(LogMessages.probeFor(peer), new JsonObject(), PASS).onSuccess(reply -> {
      long epoch = reply.body().getLong("epoch", 0L);
      String owner = reply.body().getString("owner", "");
      if (ring.dropIfOlderThan(epoch, owner)) {
        log.warn("dropping our token: {} follows the newer epoch {}/{}", peer, epoch, owner);
        committedThisHold.clear(); // that epoch's events, fenced everywhere: not carried to anyone
        if (!queue.isEmpty()) {
          want();
        }
      }
    });
  }

  /** Loads the promised epoch (kept across restarts), then listens; the first token check follows shortly. */
  Future<Void> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.WANT, m -> onWant(m.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.tokenFor(nodeId), this::onToken));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.prepareFor(nodeId), this::onPrepare));
    regeneration.listen(consumers);
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(LogAddresses.RING_STATUS, m -> m.reply(status())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogAddresses.ringStatusOf(nodeId), m -> m.reply(status())));
    consumers.add(vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> vertx.setTimer(300, t -> regeneration.check())));
    outbox.onFencedBy(this::fencedBy);
    return eventLog.loadPromise(ring.fence())
        .compose(v -> Future.all(consumers.stream().map(MessageConsumer::completion).toList()))
        .onSuccess(v -> vertx.setTimer(50, t -> regeneration.check()))
        .mapEmpty();
  }

  Future<Void> stop() {
    vertx.cancelTimer(tickTimer);
    queue.failAll(new ServiceException(503, "node is shutting down"));
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  // ---- writes ----

  /** Queues a command for the token; the answer comes back on the caller's context. */
  Future<JsonObject> submit(OrderedCommand command) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> answer = Promise.promise();
    context.runOnContext(v -> {
      Promise<JsonObject> onRing = Promise.promise();
      onRing.future().onComplete(result -> caller.runOnContext(x -> answer.handle(result)));
      enqueue(new WriteQueue.Pending(command, onRing));
    });
    return answer.future();
  }

  private void enqueue(WriteQueue.Pending pending) {
    if (!hasMajority()) {
      pending.promise().fail(noMajority());
      return;
    }
    queue.add(pending);
    ticking();
    if (ring.holding()) {
      serve();
    } else {
      want();
    }
  }

  private ServiceException noMajority() {
    return new ServiceException(503, "writes are refused: this node sees " + nodes.nodeIds().size() + " of "
        + configuredSize + " configured nodes, and a majority (" + majority + ") is needed; reads still work");
  }

  private boolean hasMajority() {
    return nodes.nodeIds().size() >= majority;
  }

  private void want() {
    long now = System.currentTimeMillis();
    if (waitingSince == 0) {
      waitingSince = now;
    }
    long n = ring.want();
    lastWantPublished = now;
    vertx.eventBus().publish(LogMessages.WANT, new JsonObject()
        .put("node", nodeId).put("n", n).put("waitingMs", now - waitingSince));
  }

  private void onWant(JsonObject body) {
    String node = body.getString("node");
    if (node == null || node.equals(nodeId)) {
      return;
    }
    ring.noteWant(node, body.getLong("n", 0L));
    if (ring.holding() && !busy && queue.isEmpty()) {
      passOn();
    }
    if (body.getLong("waitingMs", 0L) > STALE_WANT_MILLIS) {
      regeneration.check();
    }
  }

  /** Commits a batch of this node's queue with the token, waits for a majority, answers, moves on. */
  private void serve() {
    if (!ring.mayCommit() || busy) {
      return; // without the token, busy, or a newer epoch is being promised (then the prepare's answer serves again)
    }
    if (queue.isEmpty()) {
      // Nothing of ours is waiting: whatever we asked for is served, or holders keep sending it back.
      ring.servedSelf();
      passOn();
      return;
    }
    if (!hasMajority()) {
      queue.failAll(noMajority());
      return;
    }
    busy("catching up to the token's sequence number and committing " + queue.size() + " queued writes");
    Token held = ring.token();
    eventLog.lastApplied().compose(last -> inStepWith(held, last)).onComplete(caughtUp -> {
      if (caughtUp.failed() || caughtUp.result() != held.nextSeq() - 1) {
        long at = caughtUp.succeeded() ? caughtUp.result() : -1;
        log.error("holding the token at sequence {} but this node's log is at {}: not committing", held.nextSeq() - 1, at);
        ServiceException behind = new ServiceException(503, "this node cannot commit right now (its log is out of step); try again");
        queue.drain(MAX_BATCH).forEach(p -> p.promise().tryFail(behind));
        finishBatch();
        return;
      }
      commitBatch(held, queue.drain(MAX_BATCH));
    });
  }

  /**
   * Brings this node's log to where the token continues: behind, it catches up; ahead, what it
   * holds past that point is an older epoch's never-acknowledged events, and it rebuilds from its
   * peers. Completes with the last applied number afterwards.
   */
  private Future<Long> inStepWith(Token held, long last) {
    long expected = held.nextSeq() - 1;
    if (last == expected) {
      return Future.succeededFuture(last);
    }
    Future<?> step = last < expected ? outbox.catchUp(expected, held.from()) : outbox.rebase(held);
    return step.timeout(CATCH_UP_SECONDS, TimeUnit.SECONDS).compose(v -> eventLog.lastApplied());
  }

  private void commitBatch(Token held, List<WriteQueue.Pending> batch) {
    long started = System.nanoTime();
    committer.commit(batch.stream().map(WriteQueue.Pending::command).toList(), held.nextSeq() - 1, held.epoch(), held.owner())
        .onComplete(done -> {
          if (done.failed()) {
            log.error("commit failed: {}", done.cause().getMessage());
            batch.forEach(p -> p.promise().tryFail(new ServiceException(503, "commit failed: " + done.cause().getMessage())));
            finishBatch();
            return;
          }
          Committer.Batch result = done.result();
          Metrics.of(vertx).logCommitted(System.nanoTime() - started, batch.size());
          committedEvents += result.lastSeq() - (held.nextSeq() - 1);
          committedThisHold.add(result.events());
          ring.advance(result.lastSeq() + 1);
          if (queue.isEmpty()) {
            ring.servedSelf();
          }
          // The next batch commits while this one travels to the other nodes; each caller hears
          // back once a majority holds its event. Hand-off first: the node the token goes to gets
          // these events with it, so the relay need not send them there too.
          finishBatch();
          outbox.committed(result.events());
          Future<Void> replicated = result.lastSeq() < held.nextSeq() ? Future.succeededFuture()
              : outbox.awaitMajority(result.lastSeq()).timeout(REPLICATION_SECONDS, TimeUnit.SECONDS);
          replicated.onComplete(confirmed -> WriteQueue.answer(batch, result, confirmed.failed()));
        });
  }

  private void busy(String with) {
    ticking();
    busy = true;
    busyWith = with;
    busySince = System.currentTimeMillis();
  }

  /** Leaves the busy state and answers the prepares that waited for it. */
  private void notBusy() {
    busy = false;
    while (!afterBusy.isEmpty()) {
      afterBusy.poll().run();
    }
  }

  private void finishBatch() {
    notBusy();
    if (!ring.holding()) {
      if (!queue.isEmpty()) {
        want();
      }
      return;
    }
    if (!queue.isEmpty() && !ring.othersWaiting(nodes.nodeIds())) {
      serve();
    } else {
      passOn();
    }
  }

  /** Hands the token to the next node in ring order that wants it; keeps it if nobody does. */
  private void passOn() {
    if (!ring.holding() || busy) {
      return;
    }
    String next = ring.nextWanter(new ArrayList<>(nodes.nodeIds()));
    if (next == null) {
      if (!queue.isEmpty()) {
        serve();
      }
      return;
    }
    Token passing = ring.handOff();
    JsonObject message = passing.toJson();
    List<Event> carriedEvents = committedThisHold.take();
    JsonArray carried = new JsonArray();
    carriedEvents.forEach(e -> carried.add(e.toJson()));
    message.put("events", carried);
    if (!carriedEvents.isEmpty()) {
      outbox.carriedTo(next, carriedEvents.get(carriedEvents.size() - 1).seq());
    }
    vertx.eventBus().request(LogMessages.tokenFor(next), message, PASS).onComplete(sent -> {
      if (sent.succeeded()) {
        if (!queue.isEmpty()) {
          want();
        }
        return;
      }
      if (sent.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        // Nobody received it: the token is still ours. Forget the departed node's want.
        log.info("node {} is gone; keeping the token", next);
        ring.handOffUndelivered(passing, next);
        committedThisHold.putBack(carriedEvents);
        passOn();
      } else {
        log.warn("passing the token to {} failed ({}); if it was lost the coordinator regenerates it", next, sent.cause().getMessage());
        if (!queue.isEmpty()) {
          want();
        }
      }
    });
  }

  private void onToken(Message<JsonObject> message) {
    Token received;
    try {
      received = Token.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "malformed token");
      return;
    }
    Future.fromCompletionStage(ring.receive(received), context).onComplete(taken -> {
      if (taken.failed()) {
        log.error("refusing the token of epoch {}/{}: could not persist its epoch ({})", received.epoch(), received.owner(),
            taken.cause().getMessage());
        message.fail(500, "could not persist the token's epoch");
        return;
      }
      if (!taken.result()) {
        log.info("dropping a stale token of epoch {}/{} (following {}/{})", received.epoch(), received.owner(),
            ring.fence().epoch(), ring.fence().owner());
        message.fail(409, "stale token");
        return;
      }
      message.reply(new JsonObject());
      tookToken(message.body().getJsonArray("events"), received.from());
    });
  }

  private void tookToken(JsonArray carried, String sender) {
    waitingSince = 0;
    if (carried == null || carried.isEmpty()) {
      serve();
      return;
    }
    // Apply what the previous holder committed before serving; catch-up covers anything else.
    busy("applying the " + carried.size() + " events that came with the token");
    List<Event> events = new ArrayList<>();
    Future<Long> applied;
    try {
      carried.forEach(raw -> events.add(Event.fromJson(raw)));
      applied = outbox.applyCarried(events).timeout(CATCH_UP_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    applied.onComplete(done -> {
      if (done.failed()) {
        log.warn("could not apply the events that came with the token: {}", done.cause().getMessage());
      } else {
        outbox.ackCarried(sender, done.result());
      }
      notBusy();
      serve();
    });
  }

  // ---- losing and regenerating the token ----

  /**
   * The tick runs only while something waits: a write queued or the holder busy. An idle ring has
   * nothing for it to do, and a write that arrives is served or announced at once, not by the tick.
   */
  private void ticking() {
    if (tickTimer == -1) {
      tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }
  }

  private void tick() {
    long now = System.currentTimeMillis();
    reportSlow(now);
    if (!busy && queue.isEmpty()) {
      vertx.cancelTimer(tickTimer);
      tickTimer = -1;
      return;
    }
    if (ring.holding() || queue.isEmpty()) {
      return;
    }
    if (now - lastWantPublished > 1_000) {
      want(); // re-announce: the holder may have missed it, and the coordinator learns we wait
    }
    if (waitingSince > 0 && now - waitingSince > STALE_WANT_MILLIS) {
      regeneration.check();
    }
  }

  /** A write that waits has a reason: say it, so a stall is never silent. */
  private void reportSlow(long now) {
    if (busy && now - busySince > SLOW_MILLIS) {
      slow.warn("the ring on {} has been {} for {} ms ({} writes queued)", nodeId, busyWith, now - busySince, queue.size());
    }
    if (!ring.holding() && !queue.isEmpty() && waitingSince > 0 && now - waitingSince > SLOW_MILLIS) {
      slow.warn("{} writes on {} have waited {} ms for the token (epoch {}/{}, wants seen {}, members {})", queue.size(), nodeId,
          now - waitingSince, ring.fence().epoch(), ring.fence().owner(), ring.wants(), nodes.nodeIds());
    }
  }

  private void onPrepare(Message<JsonObject> message) {
    if (busy) {
      // Answer after the running commit, so the sequence number reported includes it.
      afterBusy.add(() -> onPrepare(message));
      return;
    }
    long epoch = message.body().getLong("epoch", 0L);
    String owner = message.body().getString("owner", "");
    Future.fromCompletionStage(ring.prepare(epoch, owner), context).onSuccess(answer -> {
      if (!answer.promised()) {
        message.reply(new JsonObject().put("promised", false).put("epoch", answer.epoch()).put("owner", answer.owner()));
        return;
      }
      if (answer.tokenDropped()) {
        log.warn("our token is superseded by epoch {}/{}", epoch, owner);
        if (!queue.isEmpty()) {
          want();
        }
      }
      message.reply(new JsonObject().put("promised", true).put("lastApplied", answer.lastApplied()));
    }).onComplete(answered -> serve()); // a token kept while the promise was pending serves on
  }

  private JsonObject status() {
    JsonObject wants = new JsonObject();
    ring.wants().forEach(wants::put);
    return new JsonObject()
        .put("node", nodeId)
        .put("holding", ring.holding())
        .put("epoch", ring.fence().epoch())
        .put("epochOwner", ring.fence().owner())
        .put("nextSeq", ring.holding() ? ring.token().nextSeq() : null)
        .put("members", new JsonArray(new ArrayList<>(nodes.nodeIds())))
        .put("configuredSize", configuredSize)
        .put("majority", hasMajority())
        .put("queued", queue.size())
        .put("regenerations", regeneration.count())
        .put("committedEvents", committedEvents)
        .put("wants", wants);
  }
}
