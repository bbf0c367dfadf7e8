package io.dspot.log;

import io.dspot.cluster.LiveNodes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's part of the ring (the live node with the smallest id): it probes whether a
 * live node holds the token and, when none does, regenerates it under a higher epoch once a
 * majority promised to refuse the old one ({@link TokenRing} counts the promises). Also answers
 * other coordinators' probes and learns where a regenerated epoch starts.
 */
final class Regeneration {

  private static final Logger log = LoggerFactory.getLogger(Regeneration.class);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  private final int majority;
  private final LiveNodes nodes;
  private final TokenRing ring;
  /** Not while a commit runs, and only with a majority in sight. */
  private final BooleanSupplier mayStart;
  /** Runs on this node once it holds the regenerated token. */
  private final Runnable regenerated;
  private int regenerations;

  Regeneration(Vertx vertx, Context context, String nodeId, int majority, LiveNodes nodes, TokenRing ring, BooleanSupplier mayStart,
      Runnable regenerated) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.majority = majority;
    this.nodes = nodes;
    this.ring = ring;
    this.mayStart = mayStart;
    this.regenerated = regenerated;
  }

  void listen(List<MessageConsumer<?>> consumers) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.STARTED, m -> ring.fence()
        .started(m.body().getLong("epoch", 0L), m.body().getString("owner", ""), m.body().getLong("firstSeq", 0L))));
    consumers.add(vertx.eventBus().<JsonObject>consumer(LogMessages.probeFor(nodeId), m -> m.reply(new JsonObject()
        .put("holding", ring.holding()).put("epoch", ring.fence().epoch()).put("owner", ring.fence().owner()))));
  }

  int count() {
    return regenerations;
  }

  private boolean isCoordinator() {
    Set<String> live = nodes.nodeIds();
    return !live.isEmpty() && live.iterator().next().equals(nodeId);
  }

  /** Coordinator only: find out whether a live node holds the token; if none does, regenerate it. */
  void check() {
    if (!isCoordinator() || !mayStart.getAsBoolean() || !ring.beginRegeneration()) {
      return;
    }
    List<Future<JsonObject>> probes = askOthers(LogMessages::probeFor, new JsonObject());
    Future.join(probes).onComplete(all -> {
      boolean held = probes.stream().anyMatch(p -> p.succeeded() && p.result().getBoolean("holding", false));
      long highest = probes.stream().filter(Future::succeeded).mapToLong(p -> p.result().getLong("epoch", 0L)).max().orElse(0);
      if (held || ring.holding()) {
        ring.endRegeneration();
        return;
      }
      regenerate(ring.nextEpoch(highest));
    });
  }

  private List<Future<JsonObject>> askOthers(Function<String, String> address, JsonObject body) {
    return nodes.nodeIds().stream().filter(n -> !n.equals(nodeId))
        .map(n -> vertx.eventBus().<JsonObject>request(address.apply(n), body, ASK).map(Message::body))
        .toList();
  }

  private void regenerate(long epoch) {
    Future.fromCompletionStage(ring.promiseSelf(epoch), context).onComplete(promisedSelf -> {
      if (promisedSelf.failed()) {
        log.warn("token regeneration for epoch {} stopped: {}", epoch, promisedSelf.cause().getMessage());
        ring.endRegeneration();
        return;
      }
      List<Future<JsonObject>> promises = askOthers(LogMessages::prepareFor, new JsonObject().put("epoch", epoch).put("owner", nodeId));
      Future.join(promises).onComplete(all -> {
        List<TokenRing.PromiseReply> replies = promises.stream().filter(Future::succeeded)
            .map(p -> new TokenRing.PromiseReply(p.result().getBoolean("promised", false), p.result().getLong("lastApplied", 0L)))
            .toList();
        long yes = replies.stream().filter(TokenRing.PromiseReply::promised).count() + 1;
        Token token = ring.regenerate(epoch, promisedSelf.result(), replies, majority);
        ring.endRegeneration();
        if (token == null) {
          log.warn("token regeneration for epoch {} got {} of {} needed promises; retrying later", epoch, yes, majority);
          return;
        }
        vertx.eventBus().publish(LogMessages.STARTED, new JsonObject().put("epoch", epoch).put("owner", nodeId).put("firstSeq", token.nextSeq()));
        regenerations++;
        log.warn("ring token regenerated: epoch {}/{}, next sequence number {} ({} of {} live nodes promised)",
            epoch, nodeId, token.nextSeq(), yes, promises.size() + 1);
        regenerated.run();
      });
    });
  }
}
