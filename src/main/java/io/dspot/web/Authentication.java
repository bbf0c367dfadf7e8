package io.dspot.web;

import io.dspot.security.SecurityAddresses;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling: the session token from the {@code dspot_session} cookie (browsers) or an
 * {@code Authorization: Bearer} header (API clients), resolved by the security module.
 */
public final class Authentication {

  public static final String COOKIE = "dspot_session";
  private static final String USER = "user";

  private Authentication() {}

  public static Handler<RoutingContext> required() {
    return ctx -> {
      String token = token(ctx.request());
      if (token == null) {
        ApiReplies.error(ctx, 401, "not logged in");
        return;
      }
      HttpServerRequest request = ctx.request();
      // An upload's body must wait for the lookup, or its first bytes would be lost.
      if (!request.isEnded()) {
        request.pause();
      }
      ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.RESOLVE, new JsonObject().put("token", token))
          .onSuccess(reply -> {
            ctx.put(USER, reply.body());
            ctx.next();
          })
          .onFailure(e -> ApiReplies.failure(ctx, e));
    };
  }

  public static Handler<RoutingContext> adminOnly() {
    return ctx -> {
      if (!"admin".equals(user(ctx).getString("role"))) {
        ApiReplies.error(ctx, 403, "only an admin may do this");
        return;
      }
      ctx.next();
    };
  }

  public static JsonObject user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  public static String userId(RoutingContext ctx) {
    return user(ctx).getString("id");
  }

  static String token(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    Cookie cookie = request.getCookie(COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  static Cookie sessionCookie(String token, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(COOKIE, token)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secure)
        .setMaxAge(maxAgeSeconds);
  }
}
