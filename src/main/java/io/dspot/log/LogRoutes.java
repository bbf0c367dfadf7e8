package io.dspot.log;

import io.dspot.http.ApiReplies;
import io.dspot.http.InternalRoutes;
import io.dspot.http.RequestParams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ordered log's part of the internal peer API: catch-up reads and the ring/outbox status. */
public final class LogRoutes implements InternalRoutes {

  private static final Logger log = LoggerFactory.getLogger(LogRoutes.class);
  public static final int DEFAULT_EVENT_LIMIT = 500;
  public static final int MAX_EVENT_LIMIT = 10_000;
  private static final DeliveryOptions READ_TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);
  private static final DeliveryOptions STATUS_TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final String nodeId;

  public LogRoutes(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  @Override
  public void mount(Router router) {
    router.get("/internal/events").handler(this::events);
    router.get("/internal/status").handler(this::status);
  }

  /** Catch-up for peers: {@code after} (required, >= 0) and {@code limit} (1..10000, default 500). */
  private void events(RoutingContext ctx) {
    long after = RequestParams.longParam(ctx, "after", null, 0, Long.MAX_VALUE);
    int limit = (int) RequestParams.longParam(ctx, "limit", (long) DEFAULT_EVENT_LIMIT, 1, MAX_EVENT_LIMIT);
    vertx.eventBus().<JsonObject>request(LogAddresses.READ_RANGE, new JsonObject().put("after", after).put("limit", limit), READ_TIMEOUT)
        .onSuccess(reply -> ApiReplies.json(ctx, 200, reply.body()))
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }

  /** The ring's and the outbox's status, each null when it does not answer. */
  private void status(RoutingContext ctx) {
    Future<JsonObject> ring = askOrNull(LogAddresses.RING_STATUS);
    Future<JsonObject> outbox = askOrNull(LogAddresses.OUTBOX_STATUS);
    Future.join(ring, outbox).onComplete(done -> ApiReplies.json(ctx, 200, new JsonObject()
        .put("nodeId", nodeId)
        .put("ring", ring.result())
        .put("outbox", outbox.result())));
  }

  private Future<JsonObject> askOrNull(String address) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject(), STATUS_TIMEOUT)
        .map(reply -> reply.body())
        .otherwise(e -> {
          log.debug("{} did not answer: {}", address, e.getMessage());
          return null;
        });
  }
}
