package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.http.RequestParams;
import io.dspot.security.SecurityAddresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The caller's Subsonic app password (what music apps log in with, see the README): whether one
 * is set, setting or generating one (the account password required), revoking it.
 */
final class AppPasswordRoutes {

  static final String PATH = "/api/account/subsonic-password";

  void mount(Router router) {
    router.get(PATH).handler(BusCall.to(SecurityAddresses.APP_PASSWORD_GET, ctx -> new JsonObject()));
    router.put(PATH).handler(this::set);
    router.delete(PATH).handler(BusCall.to(SecurityAddresses.APP_PASSWORD_DELETE, ctx -> new JsonObject(), 204));
  }

  /** {currentPassword, password?}: without password, one is generated and answered this once. */
  private void set(RoutingContext ctx) {
    JsonObject body = RequestParams.body(ctx);
    JsonObject message = Authentication.asCaller(ctx, new JsonObject()
        .put("currentPassword", AccountRoutes.text(body, "currentPassword"))
        .put("password", AccountRoutes.text(body, "password"))
        .put("clientAddress", AccountRoutes.clientAddress(ctx)));
    if (body.containsKey("password") && !(body.getValue("password") instanceof String)) {
      ApiReplies.error(ctx, 400, "password must be a string (or absent, to generate one)");
      return;
    }
    ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.APP_PASSWORD_SET, message, BusCall.TIMEOUT)
        .onSuccess(reply -> ApiReplies.json(ctx, 200, reply.body()))
        .onFailure(e -> AccountRoutes.refused(ctx, e));
  }
}
