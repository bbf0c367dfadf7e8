package io.dspot.web;

import io.dspot.http.ApiReplies;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** A route that forwards to one module address and answers with its reply as JSON. */
final class BusCall {

  static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(15_000);

  private BusCall() {}

  /**
   * {@code request} builds the message from the HTTP request; a ServiceException it throws (400)
   * reaches the router's failure handler, {@link ApiReplies#routerFailure}.
   */
  static Handler<RoutingContext> to(String address, Function<RoutingContext, JsonObject> request, int okStatus) {
    return ctx -> {
      JsonObject body = request.apply(ctx);
      // Catalog answers carry the caller's own stars, ratings and play counts, so every call says
      // who asks (and a callerId sent by the client never stands).
      if (Authentication.user(ctx) != null) {
        Authentication.asCaller(ctx, body);
      }
      ctx.vertx().eventBus().request(address, body, TIMEOUT)
          .onSuccess(reply -> ApiReplies.json(ctx, okStatus, reply.body()))
          .onFailure(e -> ApiReplies.failure(ctx, e));
    };
  }

  static Handler<RoutingContext> to(String address, Function<RoutingContext, JsonObject> request) {
    return to(address, request, 200);
  }
}
