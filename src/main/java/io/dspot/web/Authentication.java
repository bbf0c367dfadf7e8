package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.security.RevocableCache;
import io.dspot.security.SecurityAddresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling: the session token from the {@code dspot_session} cookie (browsers) or an
 * {@code Authorization: Bearer} header (API clients), resolved by the security module.
 */
final class Authentication {

  static final String COOKIE = "dspot_session";
  private static final String USER = "user";
  /** Seeking fires many requests; a session resolved here stays good this long on this event loop. */
  private static final long CACHE_MILLIS = 10_000;
  private static final int CACHE_CAPACITY = 10_000;

  private final RevocableCache<JsonObject> cache;

  /** One per HTTP event loop: the cache is not shared and needs no locking. */
  Authentication(Vertx vertx) {
    cache = new RevocableCache<>(vertx, CACHE_CAPACITY, CACHE_MILLIS);
  }

  Handler<RoutingContext> required() {
    return ctx -> resolve(ctx, true);
  }

  /** The caller when there is one (a token that resolves), anonymous otherwise: for public routes that show admins more. */
  Handler<RoutingContext> optional() {
    return ctx -> resolve(ctx, false);
  }

  private void resolve(RoutingContext ctx, boolean required) {
    String token = token(ctx.request());
    if (token == null) {
      if (required) {
        ApiReplies.error(ctx, 401, "not logged in");
      } else {
        ctx.next();
      }
      return;
    }
    long current = cache.currentEpoch();
    JsonObject cached = cache.get(token);
    if (cached != null) {
      ctx.put(USER, cached);
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    // An upload's body must wait for the lookup, or its first bytes would be lost.
    if (!request.isEnded() && request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.pause();
    }
    ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.RESOLVE, new JsonObject().put("token", token))
        .onSuccess(reply -> {
          cache.put(token, reply.body(), current); // unless a session ended while it was looked up
          ctx.put(USER, reply.body());
          ctx.next();
        })
        .onFailure(e -> {
          cache.remove(token);
          if (required) {
            ApiReplies.failure(ctx, e);
          } else {
            ctx.next();
          }
        });
  }

  static boolean isAdmin(RoutingContext ctx) {
    JsonObject user = user(ctx);
    return user != null && "admin".equals(user.getString("role"));
  }

  static Handler<RoutingContext> adminOnly() {
    return ctx -> {
      if (!isAdmin(ctx)) {
        ApiReplies.error(ctx, 403, "only an admin may do this");
        return;
      }
      ctx.next();
    };
  }

  static JsonObject user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  /** The message with the calling user's id, for operations that check who asks. */
  static JsonObject asCaller(RoutingContext ctx, JsonObject message) {
    return message.put("callerId", userId(ctx));
  }

  static String userId(RoutingContext ctx) {
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
