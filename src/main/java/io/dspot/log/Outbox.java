package io.dspot.log;

import io.dspot.bus.BusService;
import io.dspot.bus.RateLimitedWarning;
import io.dspot.bus.ServiceException;
import io.dspot.cluster.LiveNodes;
import io.dspot.cluster.PeerClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's outbox side: receives other nodes' events and applies them in order, serves the log
 * to nodes catching up, fills gaps from live peers, and runs the relay for this node's own events.
 * Runs on the log's event loop; the {@link Ring} calls it directly.
 */
final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int RANGE_LIMIT = 1_000;
  private static final long POLL_MILLIS = 5_000;
  private static final long FOLLOW_MILLIS = 5_000;

  private final Vertx vertx;
  private final String nodeId;
  private final EventLog eventLog;
  private final EventApplier applier;
  private final EpochFence fence;
  private final LiveNodes nodes;
  private final int majority;
  private final PeerClient peers;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final RateLimitedWarning peerFailed = new RateLimitedWarning(log, Duration.ofMinutes(1));
  private BusService bus;
  private Relay relay;
  private int followIndex;
  /** Told which peer refused this node's events as fenced (the ring checks whether its token is stale). */
  private java.util.function.Consumer<String> fencedBy = peer -> { };

  Outbox(Vertx vertx, String nodeId, EventLog eventLog, EventApplier applier, EpochFence fence, LiveNodes nodes,
      int majority, PeerClient peers) {
    this.vertx = vertx;
    this.peers = peers;
    this.nodeId = nodeId;
    this.eventLog = eventLog;
    this.applier = applier;
    this.fence = fence;
    this.nodes = nodes;
    this.majority = majority;
  }

  Future<Void> start() {
    relay = new Relay(vertx, eventLog, nodes, majority, (peer, reason) -> {
      log.error("node {} refused our events: {}", peer, reason);
      fencedBy.accept(peer);
      checkDivergence();
    });
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.deliverTo(nodeId), this::receive));
    consumers.add(vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> relay.pump()));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.appliedAckTo(nodeId), m -> {
      if (m.body().getValue("node") instanceof String node && m.body().getValue("lastApplied") instanceof Number n) {
        noteApplied(node, n.longValue());
        relay.pump();
      }
    }));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogAddresses.outboxStatusOf(nodeId), m -> status().onComplete(s -> {
      if (s.succeeded()) {
        m.reply(s.result());
      } else {
        m.fail(500, s.cause().getMessage());
      }
    })));
    bus = new BusService(vertx)
        .on(LogAddresses.READ_RANGE, this::range)
        .on(LogAddresses.OUTBOX_STATUS, b -> status());
    timers.add(vertx.setPeriodic(POLL_MILLIS, id -> relay.retry()));
    timers.add(vertx.setPeriodic(FOLLOW_MILLIS, id -> follow()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> bus.ready())
        .compose(v -> checkDivergence().recover(e -> Future.succeededFuture()))
        .compose(v -> catchUp(Long.MAX_VALUE).recover(e -> Future.succeededFuture(0L)))
        .compose(v -> relay.start())
        .mapEmpty();
  }

  void onFencedBy(java.util.function.Consumer<String> listener) {
    fencedBy = listener;
  }

  Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.join(bus.close(), Future.join(consumers.stream().map(MessageConsumer::unregister).toList())).mapEmpty();
  }

  /** Completes once a majority of the configured cluster (this node counted) applied {@code seq}. */
  Future<Void> awaitMajority(long seq) {
    return eventLog.lastApplied().compose(last -> relay.awaitMajority(seq, last));
  }

  /** Events this node just committed: the relay sends them on from memory. */
  void committed(List<Event> events) {
    relay.offer(events);
  }

  /** The token goes to {@code peer} with this node's events up to {@code seq}: the relay leaves those to it. */
  void carriedTo(String peer, long seq) {
    relay.carriedTo(peer, seq);
  }

  /** {@code node} is known to have applied up to {@code seq} (it committed them, or said so). */
  void noteApplied(String node, long seq) {
    if (node != null && !node.equals(nodeId)) {
      relay.noteApplied(node, seq);
    }
  }

  /** Tells the node the token came from that its carried events are applied here (they count for its majority). */
  void ackCarried(String sender, long applied) {
    if (sender != null && !sender.equals(nodeId)) {
      vertx.eventBus().send(LogMessages.appliedAckTo(sender), new JsonObject().put("node", nodeId).put("lastApplied", applied));
    }
  }

  /** Applies the events that came with the ring token, in order; returns the new last applied. */
  Future<Long> applyCarried(List<Event> events) {
    return serialized(() -> eventLog.lastApplied().compose(last -> sameAsStored(events, last)).compose(v -> applier.apply(events)));
  }

  private <T> Future<T> serialized(Supplier<Future<T>> step) {
    return eventLog.serialized(step);
  }

  /** A relay's batch from another node. */
  private void receive(Message<JsonObject> message) {
    List<Event> events;
    String from;
    try {
      from = message.body().getString("from");
      events = new ArrayList<>();
      for (Object raw : message.body().getJsonArray("events")) {
        events.add(Event.fromJson(raw));
      }
    } catch (RuntimeException e) {
      log.warn("refusing a malformed event batch: {}", e.getMessage());
      message.fail(400, "malformed event batch: " + e.getMessage());
      return;
    }
    String sender = from;
    serialized(() -> eventLog.lastApplied().compose(last -> {
      for (Event e : events) {
        if (e.seq() > last && !fence.admits(e.epoch(), e.epochOwner(), e.seq())) {
          return Future.failedFuture(new ServiceException(409, "event " + e.seq() + " of epoch " + e.epoch() + "/" + e.epochOwner()
              + " is fenced: this node follows epoch " + fence.epoch() + "/" + fence.owner()));
        }
      }
      return sameAsStored(events, last).compose(v -> applier.apply(events));
    })).compose(last -> {
      long wanted = events.isEmpty() ? last : events.get(events.size() - 1).seq();
      // A gap before this batch: fetch the missing events, then apply the batch again.
      return last >= wanted ? Future.succeededFuture(last)
          : catchUp(wanted, sender).compose(v -> serialized(() -> applier.apply(events)));
    }).onComplete(done -> {
      if (done.succeeded()) {
        // The sender committed these events, so it has applied them: that counts for its own writers' majority.
        events.stream().mapToLong(Event::seq).max().ifPresent(seq -> noteApplied(sender, seq));
        message.reply(new JsonObject().put("lastApplied", done.result()));
      } else if (done.cause() instanceof ServiceException se) {
        message.fail(se.status, se.getMessage());
      } else {
        log.warn("could not apply events from {}: {}", sender, done.cause().getMessage());
        message.fail(500, "could not apply: " + done.cause().getMessage());
      }
    });
  }

  /** A re-delivered event must be the one this node already has at that number, or the logs diverged. */
  private Future<Void> sameAsStored(List<Event> events, long last) {
    List<Long> known = events.stream().filter(e -> e.seq() <= last).map(Event::seq).toList();
    if (known.isEmpty()) {
      return Future.succeededFuture();
    }
    return eventLog.identities(known).compose(stored -> {
      for (Event e : events) {
        String mine = stored.get(e.seq());
        if (mine != null && !mine.equals(e.epoch() + "/" + e.epochOwner())) {
          return Future.failedFuture(new ServiceException(409, "conflict at sequence " + e.seq() + ": this node has " + mine
              + ", the sender " + e.epoch() + "/" + e.epochOwner()));
        }
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Did this node commit events the cluster never took (it crashed before delivering them, and the
   * token moved on)? Those writes were never acknowledged; the node rebuilds its log from peers.
   */
  private Future<Void> checkDivergence() {
    List<String> others = nodes.nodeIds().stream().filter(n -> !n.equals(nodeId)).toList();
    if (others.isEmpty()) {
      return Future.succeededFuture();
    }
    return eventLog.undelivered(1).compose(undelivered -> {
      if (undelivered.isEmpty()) {
        return Future.succeededFuture(false);
      }
      Event oldest = undelivered.get(0);
      List<Future<Boolean>> verdicts = others.stream().map(peer -> peers.getJson(peer, "/internal/events?after=" + (oldest.seq() - 1) + "&limit=1")
          .map(body -> {
            JsonArray theirs = body.getJsonArray("events");
            if (theirs.isEmpty()) {
              return false;
            }
            Event other = Event.fromJson(theirs.getValue(0));
            return other.seq() == oldest.seq() && (other.epoch() != oldest.epoch() || !other.epochOwner().equals(oldest.epochOwner()));
          }).onFailure(e -> peerFailed.warnFor(peer, "divergence check: {} did not answer: {}", peer, e.getMessage()))).toList();
      return Future.join(verdicts).transform(all -> Future.succeededFuture(
          verdicts.stream().anyMatch(v -> v.succeeded() && v.result())));
    }).compose(diverged -> diverged ? resync() : Future.succeededFuture());
  }

  /**
   * This node's log runs past where the token it holds continues. If what lies past that point is
   * an older epoch's (it committed or took them before that epoch was fenced off, and no majority
   * ever held them, or the regeneration would have counted them), those writes were never
   * acknowledged: the node rebuilds from its peers, as after any divergence.
   */
  Future<Void> rebase(Token held) {
    return eventLog.range(held.nextSeq() - 1, RANGE_LIMIT).compose(ahead -> {
      boolean olderEpochOnly = !ahead.isEmpty()
          && ahead.stream().allMatch(e -> EpochFence.compare(e.epoch(), e.epochOwner(), held.epoch(), held.owner()) < 0);
      if (!olderEpochOnly) {
        return Future.failedFuture(new IllegalStateException("this node's log runs past the token of epoch "
            + held.epoch() + "/" + held.owner() + " with events of that epoch or a newer one"));
      }
      log.error("this node holds events {}..{} of an older epoch past where the token of epoch {}/{} continues (never acknowledged)",
          ahead.get(0).seq(), ahead.get(ahead.size() - 1).seq(), held.epoch(), held.owner());
      return resync();
    });
  }

  private boolean resyncing;

  private Future<Void> resync() {
    if (resyncing) {
      return Future.succeededFuture();
    }
    resyncing = true;
    log.error("this node's log diverged from the cluster's (it holds events that were never acknowledged); rebuilding it from its peers");
    relay.failWaiting(new ServiceException(503, "this node is rebuilding its catalog from its peers"));
    relay.forgetPending();
    return serialized(eventLog::rebuild)
        .compose(v -> catchUp(Long.MAX_VALUE))
        .onComplete(done -> {
          resyncing = false;
          log.warn("rebuilt from peers: now at sequence {}", done.succeeded() ? done.result() : "?");
        })
        .mapEmpty();
  }

  private Future<JsonObject> range(JsonObject body) {
    Object after = body.getValue("after");
    Object limit = body.getValue("limit");
    if (!(after instanceof Number a) || a.longValue() < 0 || (limit != null && !(limit instanceof Number))) {
      return Future.failedFuture(ServiceException.badRequest("after must be a number >= 0, limit a number"));
    }
    int max = limit == null ? RANGE_LIMIT : (int) Math.max(0, Math.min(RANGE_LIMIT, ((Number) limit).longValue()));
    return eventLog.lastApplied().compose(last -> eventLog.range(a.longValue(), max).map(events -> {
      JsonArray out = new JsonArray();
      events.stream().filter(e -> e.seq() <= last).forEach(e -> out.add(e.toJson()));
      return new JsonObject().put("events", out).put("lastApplied", last);
    }));
  }

  /** Fetches from live peers until this node applied {@code target} or nobody has more. */
  private Future<Long> catchUp(long target) {
    return catchUp(target, null);
  }

  /** Fetches from live peers ({@code preferred} first) until this node applied {@code target} or nobody has more. */
  Future<Long> catchUp(long target, String preferred) {
    List<String> candidates = new ArrayList<>();
    if (preferred != null && !preferred.equals(nodeId)) {
      candidates.add(preferred);
    }
    nodes.nodeIds().stream().filter(n -> !n.equals(nodeId) && !n.equals(preferred)).forEach(candidates::add);
    return eventLog.lastApplied().compose(last -> fetchFrom(candidates, 0, last, target));
  }

  /** Tries the candidates in turn: one that fails, times out or has nothing newer is skipped. */
  private Future<Long> fetchFrom(List<String> candidates, int index, long last, long target) {
    if (last >= target || index >= candidates.size()) {
      return Future.succeededFuture(last);
    }
    String peer = candidates.get(index);
    // Over the peer's internal HTTP API, through that peer's circuit breaker.
    return peers.getJson(peer, "/internal/events?after=" + last + "&limit=" + RANGE_LIMIT)
        .compose(body -> {
          List<Event> events = new ArrayList<>();
          for (Object raw : body.getJsonArray("events")) {
            events.add(Event.fromJson(raw));
          }
          relay.noteApplied(peer, body.getLong("lastApplied"));
          if (events.isEmpty()) {
            return fetchFrom(candidates, index + 1, last, target);
          }
          return serialized(() -> applier.apply(events)).compose(now -> now > last
              ? fetchFrom(candidates, index, now, target)
              : fetchFrom(candidates, index + 1, now, target));
        })
        .recover(e -> {
          peerFailed.warnFor(peer, "catch-up from {} failed: {}", peer, e.getMessage());
          return fetchFrom(candidates, index + 1, last, target);
        });
  }

  /** Now and then ask one peer for anything newer, in case a push was missed. */
  private void follow() {
    List<String> peers = nodes.nodeIds().stream().filter(n -> !n.equals(nodeId)).toList();
    if (peers.isEmpty()) {
      return;
    }
    String peer = peers.get(followIndex++ % peers.size());
    eventLog.lastApplied().compose(last -> fetchFrom(List.of(peer), 0, last, Long.MAX_VALUE));
  }

  private Future<JsonObject> status() {
    return Future.all(eventLog.lastApplied(), eventLog.backlog(), eventLog.parked()).map(all -> new JsonObject()
        .put("lastApplied", all.<Long>resultAt(0))
        .put("backlog", all.<Long>resultAt(1))
        .put("parked", all.<JsonArray>resultAt(2))
        .put("appliedBy", new JsonObject(new java.util.HashMap<>(relay.appliedBy()))));
  }
}
