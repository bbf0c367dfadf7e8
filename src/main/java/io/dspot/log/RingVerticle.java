package io.dspot.log;

import io.dspot.bus.ServiceException;
import io.dspot.cluster.LiveNodes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token ring. One token (epoch + next global sequence number) exists in the cluster; only its
 * holder commits, so every catalog change gets one place in one total order. A node that wants to
 * write announces a want; the holder serves its own queue, then hands the token to the next node
 * in ring order that wants it, or keeps it while nobody does (an idle ring sends nothing). When the
 * holder is gone, the coordinator (the live node with the smallest id) regenerates the token under
 * a higher epoch once a majority has promised to refuse the old one, starting after the highest
 * sequence number any of them applied. Everything here runs on this verticle's event loop.
 */
public final class RingVerticle extends VerticleBase implements Sequencer {

  private static final Logger log = LoggerFactory.getLogger(RingVerticle.class);
  private static final int MAX_BATCH = 200;
  private static final long TICK_MILLIS = 1_000;
  private static final long STALE_WANT_MILLIS = 1_500;
  private static final DeliveryOptions PASS = new DeliveryOptions().setSendTimeout(3_000);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);
  private static final DeliveryOptions REPLICATION = new DeliveryOptions().setSendTimeout(10_000);
  private static final DeliveryOptions CATCH_UP = new DeliveryOptions().setSendTimeout(30_000);

  private record Pending(OrderedCommand command, Promise<JsonObject> promise) {}

  private final String nodeId;
  private final int majority;
  private final int configuredSize;
  private final LiveNodes nodes;
  private final EventLog eventLog;
  private final Committer committer;
  private final EpochFence fence;

  private Context ringContext;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Map<String, Long> latestWant = new HashMap<>();
  private final Deque<Runnable> afterBusy = new ArrayDeque<>();
  private Token token;
  /** Events committed while holding the token: they travel with it, so the next holder need not fetch them. */
  private final List<io.dspot.log.Event> committedThisHold = new ArrayList<>();
  private boolean busy;
  private boolean regenerating;
  private long wantCounter;
  private long waitingSince;
  private long lastWantPublished;
  private int regenerations;
  private long committedEvents;

  public RingVerticle(String nodeId, int majority, int configuredSize, LiveNodes nodes, EventLog eventLog, Committer committer,
      EpochFence fence) {
    this.nodeId = nodeId;
    this.majority = majority;
    this.configuredSize = configuredSize;
    this.nodes = nodes;
    this.eventLog = eventLog;
    this.committer = committer;
    this.fence = fence;
  }

  @Override
  public Future<?> start() {
    ringContext = context;
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingMessages.WANT, m -> onWant(m.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingMessages.STARTED, m -> onStarted(m.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingMessages.tokenFor(nodeId), this::onToken));
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingMessages.prepareFor(nodeId), this::onPrepare));
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingMessages.probeFor(nodeId), this::onProbe));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(RingAddresses.STATUS, m -> m.reply(status())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(RingAddresses.statusOf(nodeId), m -> m.reply(status())));
    consumers.add(vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> vertx.setTimer(300, t -> checkToken())));
    vertx.setPeriodic(TICK_MILLIS, id -> tick());
    return eventLog.loadPromise(fence)
        .compose(v -> Future.all(consumers.stream().map(MessageConsumer::completion).toList()))
        .onSuccess(v -> vertx.setTimer(50, t -> checkToken()));
  }

  @Override
  public Future<?> stop() {
    ServiceException stopping = new ServiceException(503, "node is shutting down");
    queue.forEach(p -> p.promise().tryFail(stopping));
    queue.clear();
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  // ---- writes ----

  @Override
  public Future<JsonObject> submit(OrderedCommand command) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> answer = Promise.promise();
    ringContext.runOnContext(v -> {
      Promise<JsonObject> onRing = Promise.promise();
      onRing.future().onComplete(result -> caller.runOnContext(x -> answer.handle(result)));
      enqueue(new Pending(command, onRing));
    });
    return answer.future();
  }

  private void enqueue(Pending pending) {
    if (!hasMajority()) {
      pending.promise().fail(noMajority());
      return;
    }
    queue.add(pending);
    if (token != null) {
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
    wantCounter++;
    latestWant.put(nodeId, wantCounter);
    lastWantPublished = now;
    vertx.eventBus().publish(RingMessages.WANT, new JsonObject()
        .put("node", nodeId).put("n", wantCounter).put("waitingMs", now - waitingSince));
  }

  private void onWant(JsonObject body) {
    String node = body.getString("node");
    long n = body.getLong("n", 0L);
    if (node == null || node.equals(nodeId)) {
      return;
    }
    latestWant.merge(node, n, Math::max);
    if (token != null && !busy && queue.isEmpty()) {
      passOn();
    }
    if (body.getLong("waitingMs", 0L) > STALE_WANT_MILLIS) {
      checkToken();
    }
  }

  /** Commits a batch of this node's queue with the token, waits for a majority, answers, moves on. */
  private void serve() {
    if (token == null || busy) {
      return;
    }
    if (queue.isEmpty()) {
      // Nothing of ours is waiting: whatever we asked for is served, or holders keep sending it back.
      token.served().put(nodeId, wantCounter);
      passOn();
      return;
    }
    if (!hasMajority()) {
      ServiceException refused = noMajority();
      queue.forEach(p -> p.promise().tryFail(refused));
      queue.clear();
      return;
    }
    busy = true;
    Token held = token;
    eventLog.lastApplied().compose(last -> {
      if (last < held.nextSeq() - 1) {
        return vertx.eventBus().request(OutboxInternal.CATCH_UP,
                new JsonObject().put("target", held.nextSeq() - 1).put("from", held.from()), CATCH_UP)
            .compose(v -> eventLog.lastApplied());
      }
      return Future.succeededFuture(last);
    }).onComplete(caughtUp -> {
      if (caughtUp.failed() || caughtUp.result() != held.nextSeq() - 1) {
        long at = caughtUp.succeeded() ? caughtUp.result() : -1;
        log.error("holding the token at sequence {} but this node's log is at {}: not committing", held.nextSeq() - 1, at);
        ServiceException behind = new ServiceException(503, "this node cannot commit right now (its log is out of step); try again");
        List<Pending> failed = drain(MAX_BATCH);
        failed.forEach(p -> p.promise().tryFail(behind));
        finishBatch();
        return;
      }
      commitBatch(held, drain(MAX_BATCH));
    });
  }

  private List<Pending> drain(int max) {
    List<Pending> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < max) {
      batch.add(queue.poll());
    }
    return batch;
  }

  private void commitBatch(Token held, List<Pending> batch) {
    committer.commit(batch.stream().map(Pending::command).toList(), held.nextSeq() - 1, held.epoch(), held.owner())
        .onComplete(done -> {
          if (done.failed()) {
            log.error("commit failed: {}", done.cause().getMessage());
            batch.forEach(p -> p.promise().tryFail(new ServiceException(503, "commit failed: " + done.cause().getMessage())));
            finishBatch();
            return;
          }
          Committer.Batch result = done.result();
          committedEvents += result.lastSeq() - (held.nextSeq() - 1);
          committedThisHold.addAll(result.events());
          if (token != null) {
            token = token.withNextSeq(result.lastSeq() + 1);
            if (queue.isEmpty()) {
              token.served().put(nodeId, wantCounter);
            }
          }
          Future<?> replicated = result.lastSeq() >= held.nextSeq()
              ? vertx.eventBus().request(OutboxInternal.REPLICATED, new JsonObject().put("seq", result.lastSeq()), REPLICATION)
              : Future.succeededFuture();
          // The next batch commits while this one travels to the other nodes; each caller hears
          // back once a majority holds its event.
          finishBatch();
          replicated.onComplete(confirmed -> {
            for (int i = 0; i < batch.size(); i++) {
              Committer.Outcome outcome = result.outcomes().get(i);
              Promise<JsonObject> p = batch.get(i).promise();
              if (outcome.failure() != null) {
                p.tryFail(outcome.failure());
              } else if (confirmed.failed() && outcome.seq() > 0) {
                p.tryFail(new ServiceException(503, "committed as #" + outcome.seq() + " but not confirmed by a majority of nodes in time"));
              } else {
                p.tryComplete(outcome.result());
              }
            }
          });
        });
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
    if (token == null) {
      if (!queue.isEmpty()) {
        want();
      }
      return;
    }
    if (!queue.isEmpty() && !othersWaiting()) {
      serve();
    } else {
      passOn();
    }
  }

  private boolean othersWaiting() {
    return token != null && nodes.nodeIds().stream().anyMatch(n -> !n.equals(nodeId) && latestWant.getOrDefault(n, 0L) > token.servedFor(n));
  }

  /** Hands the token to the next node in ring order that wants it; keeps it if nobody does. */
  private void passOn() {
    if (token == null || busy) {
      return;
    }
    String next = nextWanter();
    if (next == null) {
      if (!queue.isEmpty()) {
        serve();
      }
      return;
    }
    Token passing = token.sentBy(nodeId);
    token = null;
    JsonObject message = passing.toJson();
    JsonArray carried = new JsonArray();
    committedThisHold.forEach(e -> carried.add(e.toJson()));
    message.put("events", carried);
    List<io.dspot.log.Event> carriedEvents = List.copyOf(committedThisHold);
    committedThisHold.clear();
    vertx.eventBus().request(RingMessages.tokenFor(next), message, PASS).onComplete(sent -> {
      if (sent.succeeded()) {
        if (!queue.isEmpty()) {
          want();
        }
        return;
      }
      if (sent.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        // Nobody received it: the token is still ours. Forget the departed node's want.
        log.info("node {} is gone; keeping the token", next);
        latestWant.put(next, passing.servedFor(next));
        token = passing;
        committedThisHold.addAll(0, carriedEvents);
        passOn();
      } else {
        log.warn("passing the token to {} failed ({}); if it was lost the coordinator regenerates it", next, sent.cause().getMessage());
        if (!queue.isEmpty()) {
          want();
        }
      }
    });
  }

  private String nextWanter() {
    List<String> ring = new ArrayList<>(nodes.nodeIds());
    int self = ring.indexOf(nodeId);
    for (int i = 1; i < ring.size(); i++) {
      String candidate = ring.get((self + i) % ring.size());
      if (latestWant.getOrDefault(candidate, 0L) > token.servedFor(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private void onToken(Message<JsonObject> message) {
    Token received;
    try {
      received = Token.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "malformed token");
      return;
    }
    int vsFence = EpochFence.compare(received.epoch(), received.owner(), fence.epoch(), fence.owner());
    if (vsFence < 0) {
      log.info("dropping a stale token of epoch {}/{} (following {}/{})", received.epoch(), received.owner(), fence.epoch(), fence.owner());
      message.fail(409, "stale token");
      return;
    }
    if (vsFence > 0) {
      fence.load(received.epoch(), received.owner());
      eventLog.savePromise(received.epoch(), received.owner());
    }
    message.reply(new JsonObject());
    token = received;
    waitingSince = 0;
    JsonArray carried = message.body().getJsonArray("events");
    if (carried == null || carried.isEmpty()) {
      serve();
      return;
    }
    // Apply what the previous holder committed before serving; catch-up covers anything else.
    busy = true;
    vertx.eventBus().request(OutboxInternal.APPLY, new JsonObject().put("events", carried), CATCH_UP)
        .onComplete(applied -> {
          if (applied.failed()) {
            log.warn("could not apply the events that came with the token: {}", applied.cause().getMessage());
          }
          notBusy();
          serve();
        });
  }

  // ---- losing and regenerating the token ----

  private boolean isCoordinator() {
    Set<String> live = nodes.nodeIds();
    return !live.isEmpty() && live.iterator().next().equals(nodeId);
  }

  private void tick() {
    if (token == null && !queue.isEmpty() && System.currentTimeMillis() - lastWantPublished > 1_000) {
      want(); // re-announce: the holder may have missed it, and the coordinator learns we wait
    }
    if (token == null && !queue.isEmpty() && waitingSince > 0 && System.currentTimeMillis() - waitingSince > STALE_WANT_MILLIS) {
      checkToken();
    }
  }

  /** Coordinator only: find out whether a live node holds the token; if none does, regenerate it. */
  private void checkToken() {
    if (regenerating || token != null || busy || !isCoordinator() || !hasMajority()) {
      return;
    }
    regenerating = true;
    List<String> others = nodes.nodeIds().stream().filter(n -> !n.equals(nodeId)).toList();
    List<Future<JsonObject>> probes = others.stream()
        .map(n -> vertx.eventBus().<JsonObject>request(RingMessages.probeFor(n), new JsonObject(), ASK).map(Message::body))
        .toList();
    Future.join(probes).onComplete(all -> {
      boolean held = probes.stream().anyMatch(p -> p.succeeded() && p.result().getBoolean("holding", false));
      long highest = probes.stream().filter(Future::succeeded).mapToLong(p -> p.result().getLong("epoch", 0L)).max().orElse(0);
      if (held || token != null) {
        regenerating = false;
        return;
      }
      regenerate(Math.max(highest, fence.epoch()) + 1);
    });
  }

  private void regenerate(long epoch) {
    List<String> others = nodes.nodeIds().stream().filter(n -> !n.equals(nodeId)).toList();
    eventLog.lastApplied().compose(selfLast -> {
      if (!fence.promise(epoch, nodeId, selfLast)) {
        return Future.failedFuture(new IllegalStateException("already promised a newer epoch"));
      }
      return eventLog.savePromise(epoch, nodeId).map(selfLast);
    }).onComplete(promisedSelf -> {
      if (promisedSelf.failed()) {
        regenerating = false;
        return;
      }
      JsonObject prepare = new JsonObject().put("epoch", epoch).put("owner", nodeId);
      List<Future<JsonObject>> promises = others.stream()
          .map(n -> vertx.eventBus().<JsonObject>request(RingMessages.prepareFor(n), prepare, ASK).map(Message::body))
          .toList();
      Future.join(promises).onComplete(all -> {
        List<JsonObject> yes = promises.stream().filter(p -> p.succeeded() && p.result().getBoolean("promised", false))
            .map(Future::result).toList();
        if (yes.size() + 1 < majority) {
          log.warn("token regeneration for epoch {} got {} of {} needed promises; retrying later", epoch, yes.size() + 1, majority);
          regenerating = false;
          return;
        }
        long highestApplied = Math.max(promisedSelf.result(), yes.stream().mapToLong(p -> p.getLong("lastApplied", 0L)).max().orElse(0));
        long first = highestApplied + 1;
        fence.started(epoch, nodeId, first);
        vertx.eventBus().publish(RingMessages.STARTED, new JsonObject().put("epoch", epoch).put("owner", nodeId).put("firstSeq", first));
        regenerations++;
        log.warn("ring token regenerated: epoch {}/{}, next sequence number {} ({} of {} live nodes promised)",
            epoch, nodeId, first, yes.size() + 1, others.size() + 1);
        token = new Token(epoch, nodeId, first, new HashMap<>(), nodeId);
        regenerating = false;
        waitingSince = 0;
        serve();
      });
    });
  }

  private void onPrepare(Message<JsonObject> message) {
    if (busy) {
      // Answer after the running commit, so the sequence number reported includes it.
      afterBusy.add(() -> onPrepare(message));
      return;
    }
    long epoch = message.body().getLong("epoch", 0L);
    String owner = message.body().getString("owner", "");
    eventLog.lastApplied().onComplete(last -> {
      if (last.failed()) {
        message.fail(500, "cannot read the log");
        return;
      }
      if (!fence.promise(epoch, owner, last.result())) {
        message.reply(new JsonObject().put("promised", false).put("epoch", fence.epoch()).put("owner", fence.owner()));
        return;
      }
      eventLog.savePromise(epoch, owner).onComplete(saved -> {
        if (token != null) {
          log.warn("our token of epoch {}/{} is superseded by epoch {}/{}", token.epoch(), token.owner(), epoch, owner);
          token = null;
          if (!queue.isEmpty()) {
            want();
          }
        }
        message.reply(new JsonObject().put("promised", true).put("lastApplied", last.result()));
      });
    });
  }

  private void onProbe(Message<JsonObject> message) {
    message.reply(new JsonObject().put("holding", token != null).put("epoch", fence.epoch()).put("owner", fence.owner()));
  }

  private void onStarted(JsonObject body) {
    fence.started(body.getLong("epoch", 0L), body.getString("owner", ""), body.getLong("firstSeq", 0L));
  }

  private JsonObject status() {
    JsonObject wants = new JsonObject();
    latestWant.forEach(wants::put);
    return new JsonObject()
        .put("node", nodeId)
        .put("holding", token != null)
        .put("epoch", fence.epoch())
        .put("epochOwner", fence.owner())
        .put("nextSeq", token == null ? null : token.nextSeq())
        .put("members", new JsonArray(new ArrayList<>(nodes.nodeIds())))
        .put("configuredSize", configuredSize)
        .put("majority", hasMajority())
        .put("queued", queue.size())
        .put("regenerations", regenerations)
        .put("committedEvents", committedEvents)
        .put("wants", wants);
  }
}
