package io.dspot.log;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.cluster.LiveNodes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events this node committed to every live node, from memory: the ring hands each
 * committed batch over at once, so a delivery costs no query and no NOTIFY. Each peer has its own
 * stream (one request in flight, the next sent as soon as it answers), so a slow peer never holds
 * back the others, nor the majority a writer waits for. The outbox rows stay the crash-safe copy:
 * on start the undelivered ones are loaded again, and rows are marked delivered lazily, in one
 * UPDATE for everything all live peers hold. Tracks which node applied how far, so a writer can
 * wait until a majority holds its events. Runs on the log's event loop only.
 */
final class Relay {

  private static final Logger log = LoggerFactory.getLogger(Relay.class);
  private static final int BATCH = 500;
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(5_000);

  interface FencedHandler {
    void fenced(String byNode, String reason);
  }

  private final Vertx vertx;
  private final EventLog eventLog;
  private final LiveNodes nodes;
  private final int majority;
  private final FencedHandler onFenced;
  private final RateLimitedWarning failed = new RateLimitedWarning(log, Duration.ofMinutes(1));
  private final Map<String, Long> appliedBy = new HashMap<>();
  private final TreeMap<Long, List<Promise<Void>>> waiting = new TreeMap<>();
  /** This node's committed events that some live peer may still lack, by sequence number. */
  private final TreeMap<Long, Event> pending = new TreeMap<>();
  private final Set<String> inFlight = new HashSet<>();
  /** Per peer, up to where the token carried our events there: not sent again unless it never says it applied them. */
  private final Map<String, Long> carried = new HashMap<>();
  private long markedUpTo;
  private long markTarget;
  private boolean marking;

  Relay(Vertx vertx, EventLog eventLog, LiveNodes nodes, int majority, FencedHandler onFenced) {
    this.vertx = vertx;
    this.eventLog = eventLog;
    this.nodes = nodes;
    this.majority = majority;
    this.onFenced = onFenced;
  }

  /** Loads the rows a crash left undelivered, then sends them. */
  Future<Void> start() {
    return loadUndelivered(0).onSuccess(v -> pump());
  }

  private Future<Void> loadUndelivered(long after) {
    return eventLog.undelivered(after, BATCH).compose(rows -> {
      rows.forEach(e -> pending.put(e.seq(), e));
      return rows.size() < BATCH ? Future.succeededFuture() : loadUndelivered(rows.get(rows.size() - 1).seq());
    });
  }

  /** Events this node just committed: they go out at once. */
  void offer(List<Event> committed) {
    committed.forEach(e -> pending.put(e.seq(), e));
    pump();
  }

  void carriedTo(String peer, long seq) {
    carried.merge(peer, seq, Math::max);
  }

  /** The periodic pass: sends again whatever a peer has not confirmed, carried with the token or not. */
  void retry() {
    carried.clear();
    pump();
  }

  /** Completes once a majority of the configured cluster (this node counted) has applied {@code seq}. */
  Future<Void> awaitMajority(long seq, long selfApplied) {
    appliedBy.merge(nodes.self(), selfApplied, Math::max);
    Promise<Void> p = Promise.promise();
    waiting.computeIfAbsent(seq, k -> new ArrayList<>()).add(p);
    release();
    pump();
    return p.future();
  }

  /** Fails every waiting writer: used when this node learns its own commits were fenced off. */
  void failWaiting(Throwable cause) {
    waiting.values().forEach(list -> list.forEach(p -> p.tryFail(cause)));
    waiting.clear();
  }

  /** A rebuild from peers drops this node's own history: nothing of it is to be sent any more. */
  void forgetPending() {
    pending.clear();
  }

  void noteApplied(String nodeId, long lastApplied) {
    appliedBy.merge(nodeId, lastApplied, Math::max);
    release();
  }

  Map<String, Long> appliedBy() {
    return Map.copyOf(appliedBy);
  }

  private void release() {
    while (!waiting.isEmpty()) {
      long seq = waiting.firstKey();
      long holders = appliedBy.values().stream().filter(applied -> applied >= seq).count();
      if (holders < majority) {
        return;
      }
      waiting.pollFirstEntry().getValue().forEach(p -> p.tryComplete());
    }
  }

  private List<String> peers() {
    return nodes.nodeIds().stream().filter(n -> !n.equals(nodes.self())).toList();
  }

  /** Sends every idle live peer what it lacks, and forgets what all of them hold. */
  void pump() {
    List<String> peers = peers();
    for (String peer : peers) {
      if (!inFlight.contains(peer)) {
        sendTo(peer);
      }
    }
    dropDelivered(peers);
  }

  private void sendTo(String peer) {
    long acked = Math.max(appliedBy.getOrDefault(peer, 0L), carried.getOrDefault(peer, 0L));
    List<Event> batch = new ArrayList<>();
    for (Event e : pending.tailMap(acked, false).values()) {
      batch.add(e);
      if (batch.size() == BATCH) {
        break;
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    long last = batch.get(batch.size() - 1).seq();
    JsonArray events = new JsonArray();
    batch.forEach(e -> events.add(e.toJson()));
    inFlight.add(peer);
    vertx.eventBus().<JsonObject>request(LogMessages.deliverTo(peer), new JsonObject().put("from", nodes.self()).put("events", events), SEND)
        .onComplete(reply -> {
          inFlight.remove(peer);
          if (reply.succeeded()) {
            long applied = reply.result().body().getLong("lastApplied", 0L);
            noteApplied(peer, applied);
            if (applied >= last) {
              // Straight on with the rest: nothing waits for a timer or a notification.
              sendTo(peer);
              dropDelivered(peers());
            }
            return;
          }
          Throwable e = reply.cause();
          if (e instanceof ReplyException re && re.failureCode() == 409) {
            onFenced.fenced(peer, re.getMessage());
          } else {
            failed.warnFor(peer, "relay could not deliver events {}..{} to {}: {}", batch.get(0).seq(), last, peer, e.getMessage());
          }
        });
  }

  /** Events every live peer holds leave memory; their rows are marked delivered, one UPDATE at a time. */
  private void dropDelivered(List<String> peers) {
    if (!pending.isEmpty()) {
      long newest = pending.lastKey();
      long everyone = Math.min(newest, peers.stream().mapToLong(p -> appliedBy.getOrDefault(p, 0L)).min().orElse(newest));
      pending.headMap(everyone, true).clear();
      markTarget = Math.max(markTarget, everyone);
    }
    markDelivered();
  }

  private void markDelivered() {
    if (marking || markTarget <= markedUpTo) {
      return;
    }
    long upTo = markTarget;
    marking = true;
    eventLog.markDelivered(upTo).onComplete(done -> {
      marking = false;
      if (done.succeeded()) {
        markedUpTo = Math.max(markedUpTo, upTo);
        markDelivered();
      } else {
        failed.warn("could not mark events up to {} delivered: {}", upTo, done.cause().getMessage());
      }
    });
  }
}
