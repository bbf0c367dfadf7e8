package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.http.RequestParams;

import io.dspot.security.SecurityAddresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Login, logout, who am I, and the admin's user management. */
final class AccountRoutes {

  private final TlsOrigin tlsOrigin;

  /** Session cookies are {@code Secure} exactly when the request came over TLS ({@code tlsOrigin}). */
  AccountRoutes(TlsOrigin tlsOrigin) {
    this.tlsOrigin = tlsOrigin;
  }

  /** Routes reachable without a session. */
  void mountPublic(Router router) {
    router.post("/api/auth/login").handler(this::login);
  }

  void mount(Router router) {
    router.post("/api/auth/logout").handler(this::logout);
    router.get("/api/auth/me").handler(ctx -> ApiReplies.json(ctx, 200, Authentication.user(ctx)));
    router.get("/api/users").handler(Authentication.adminOnly()).handler(BusCall.to(SecurityAddresses.USER_LIST, RequestParams::paged));
    router.post("/api/users").handler(Authentication.adminOnly()).handler(BusCall.to(SecurityAddresses.USER_CREATE, RequestParams::body, 201));
    router.delete("/api/users/:id").handler(Authentication.adminOnly())
        .handler(BusCall.to(SecurityAddresses.USER_DELETE, ctx -> Authentication.asCaller(ctx, RequestParams.withId(ctx)), 204));
  }

  private void login(RoutingContext ctx) {
    JsonObject credentials = RequestParams.body(ctx);
    JsonObject message = new JsonObject()
        .put("username", credentials.getValue("username") instanceof String s ? s : null)
        .put("password", credentials.getValue("password") instanceof String s ? s : null);
    ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.LOGIN, message, BusCall.TIMEOUT)
        .onSuccess(reply -> {
          JsonObject session = reply.body();
          ctx.response().addCookie(Authentication.sessionCookie(session.getString("token"), session.getLong("expiresInSeconds"),
              tlsOrigin.secure(ctx.request())));
          ApiReplies.json(ctx, 200, session);
        })
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }

  private void logout(RoutingContext ctx) {
    String token = Authentication.token(ctx.request());
    ctx.vertx().eventBus().request(SecurityAddresses.LOGOUT, new JsonObject().put("token", token), BusCall.TIMEOUT)
        .onSuccess(v -> {
          ctx.response().addCookie(Authentication.sessionCookie("", 0, tlsOrigin.secure(ctx.request())));
          ApiReplies.json(ctx, 204, null);
        })
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }
}
