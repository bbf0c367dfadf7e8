package io.dspot.web;

import io.dspot.log.OutboxAddresses;
import io.dspot.log.RingAddresses;
import io.dspot.http.ApiReplies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal peer API: a second HTTP server bound to the node's internal address only
 * ({@code cluster.host}), never to the external interface. Peers call it through
 * {@link PeerClient}; it forwards to local modules over the event bus.
 */
public final class InternalHttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InternalHttpVerticle.class);
  static final int DEFAULT_EVENT_LIMIT = 500;
  static final int MAX_EVENT_LIMIT = 10_000;
  private static final DeliveryOptions READ_TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);
  private static final DeliveryOptions STATUS_TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  private final String nodeId;
  private final String host;
  private final int port;
  private HttpServer server;

  public InternalHttpVerticle(String nodeId, String host, int port) {
    this.nodeId = nodeId;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/internal/health").handler(this::health);
    router.get("/internal/events").handler(this::events);
    router.get("/internal/status").handler(this::status);
    router.route().handler(ctx -> ApiReplies.error(ctx, 404, "no such internal endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(ApiReplies::routerFailure);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> {
          server = s;
          log.info("internal peer API on http://{}:{}/internal/", host, s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    ApiReplies.json(ctx, 200, new JsonObject().put("status", "UP").put("nodeId", nodeId));
  }

  /** Catch-up for peers: {@code after} (required, >= 0) and {@code limit} (1..10000, default 500). */
  private void events(RoutingContext ctx) {
    long after;
    int limit;
    try {
      after = longParam(ctx, "after", null, 0, Long.MAX_VALUE);
      limit = (int) longParam(ctx, "limit", (long) DEFAULT_EVENT_LIMIT, 1, MAX_EVENT_LIMIT);
    } catch (IllegalArgumentException e) {
      ApiReplies.error(ctx, 400, e.getMessage());
      return;
    }
    vertx.eventBus().<JsonObject>request(OutboxAddresses.READ_RANGE, new JsonObject().put("after", after).put("limit", limit), READ_TIMEOUT)
        .onSuccess(reply -> ApiReplies.json(ctx, 200, reply.body()))
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }

  /** The ring's and the outbox's status, each null when its module does not answer. */
  private void status(RoutingContext ctx) {
    Future<JsonObject> ring = askOrNull(RingAddresses.STATUS);
    Future<JsonObject> outbox = askOrNull(OutboxAddresses.STATUS);
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

  private static long longParam(RoutingContext ctx, String name, Long fallback, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      if (fallback == null) {
        throw new IllegalArgumentException("query parameter '" + name + "' is required");
      }
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be an integer, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
