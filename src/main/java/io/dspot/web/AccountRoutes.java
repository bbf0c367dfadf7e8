package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.http.RequestParams;

import io.dspot.security.SecurityAddresses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Login, logout, who am I, one's own password, and the admin's user management. */
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
    router.put("/api/auth/password").handler(this::changePassword);
    router.get("/api/users").handler(Authentication.adminOnly()).handler(BusCall.to(SecurityAddresses.USER_LIST, RequestParams::paged));
    router.post("/api/users").handler(Authentication.adminOnly()).handler(BusCall.to(SecurityAddresses.USER_CREATE, RequestParams::body, 201));
    router.delete("/api/users/:id").handler(Authentication.adminOnly())
        .handler(BusCall.to(SecurityAddresses.USER_DELETE, RequestParams::withId, 204));
    router.put("/api/users/:id/password").handler(Authentication.adminOnly())
        .handler(BusCall.to(SecurityAddresses.PASSWORD_RESET, ctx -> RequestParams.withId(ctx)
            .put("password", text(RequestParams.body(ctx), "password"))
            .put("token", Authentication.token(ctx.request())), 204));
  }

  /** The caller's own password: the old one required; the caller's other sessions end everywhere. */
  private void changePassword(RoutingContext ctx) {
    JsonObject body = RequestParams.body(ctx);
    JsonObject message = Authentication.asCaller(ctx, new JsonObject()
        .put("oldPassword", text(body, "oldPassword"))
        .put("newPassword", text(body, "newPassword"))
        .put("token", Authentication.token(ctx.request()))
        .put("clientAddress", clientAddress(ctx)));
    ctx.vertx().eventBus().request(SecurityAddresses.PASSWORD_CHANGE, message, BusCall.TIMEOUT)
        .onSuccess(v -> ApiReplies.json(ctx, 204, null))
        .onFailure(e -> refused(ctx, e));
  }

  /** A string field, or null when absent or of another JSON type (the module then answers 400). */
  static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : null;
  }

  /**
   * The address login throttling counts against: the TCP peer. Behind a reverse proxy every
   * client shares the proxy's address, and the per-account back-off is what still holds.
   */
  static String clientAddress(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  /** A failure; a 429 or 503 from the security module also says in Retry-After when to come back. */
  static void refused(RoutingContext ctx, Throwable e) {
    if (e instanceof ReplyException re && (re.failureCode() == 429 || re.failureCode() == 503)) {
      long seconds = SecurityAddresses.retryAfterSeconds(re.getMessage());
      if (seconds >= 0) {
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
      }
    }
    ApiReplies.failure(ctx, e);
  }

  private void login(RoutingContext ctx) {
    JsonObject credentials = RequestParams.body(ctx);
    JsonObject message = new JsonObject()
        .put("username", text(credentials, "username"))
        .put("password", text(credentials, "password"))
        .put("clientAddress", clientAddress(ctx));
    ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.LOGIN, message, BusCall.TIMEOUT)
        .onSuccess(reply -> {
          JsonObject session = reply.body();
          ctx.response().addCookie(Authentication.sessionCookie(session.getString("token"), session.getLong("expiresInSeconds"),
              tlsOrigin.secure(ctx.request())));
          ApiReplies.json(ctx, 200, session);
        })
        .onFailure(e -> refused(ctx, e));
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
