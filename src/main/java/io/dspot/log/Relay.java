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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events this node committed to every live node and marks them delivered once all of
 * them have them. Woken by NOTIFY, by the ring right after a commit, and by a timer (a notification
 * sent while the listener reconnects is lost). Undelivered rows survive a crash: they are sent again.
 * Tracks which node applied how far, so a writer can wait until a majority holds its events.
 * Runs on the log's event loop only.
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
  private boolean pumping;
  private boolean again;

  Relay(Vertx vertx, EventLog eventLog, LiveNodes nodes, int majority, FencedHandler onFenced) {
    this.vertx = vertx;
    this.eventLog = eventLog;
    this.nodes = nodes;
    this.majority = majority;
    this.onFenced = onFenced;
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

  void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    again = false;
    eventLog.undelivered(BATCH)
        .compose(this::deliver)
        .onComplete(done -> {
          if (done.failed()) {
            failed.warn("relay round failed: {}", done.cause().getMessage());
          }
          pumping = false;
          if (again || (done.succeeded() && done.result())) {
            vertx.runOnContext(v -> pump());
          }
        });
  }

  /** Returns true when a full batch went out (more may be waiting). */
  private Future<Boolean> deliver(List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(false);
    }
    long last = events.get(events.size() - 1).seq();
    JsonArray batch = new JsonArray();
    events.forEach(e -> batch.add(e.toJson()));
    JsonObject message = new JsonObject().put("from", nodes.self()).put("events", batch);
    List<String> peers = nodes.nodeIds().stream().filter(n -> !n.equals(nodes.self())).toList();
    List<Future<Long>> replies = new ArrayList<>();
    for (String peer : peers) {
      replies.add(vertx.eventBus().<JsonObject>request(LogMessages.deliverTo(peer), message, SEND)
          .map(reply -> reply.body().getLong("lastApplied"))
          .onSuccess(applied -> noteApplied(peer, applied))
          .onFailure(e -> {
            if (e instanceof ReplyException re && re.failureCode() == 409) {
              onFenced.fenced(peer, re.getMessage());
            } else {
              failed.warnFor(peer, "relay could not deliver events up to {} to {}: {}", last, peer, e.getMessage());
            }
          }));
    }
    return Future.join(replies).transform(all -> {
      boolean everyone = replies.stream().allMatch(r -> r.succeeded() && r.result() >= last);
      if (!everyone) {
        return Future.succeededFuture(false);
      }
      return eventLog.markDelivered(last).map(v -> events.size() == BATCH);
    });
  }
}
