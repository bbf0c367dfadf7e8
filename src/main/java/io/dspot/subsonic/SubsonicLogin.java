package io.dspot.subsonic;

import io.dspot.security.RevocableCache;
import io.dspot.security.SecurityAddresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Who a Subsonic request comes from: {@code u} with {@code t} + {@code s} (token) or {@code p}
 * (plain or {@code enc:} hex), checked against the user's app password by the security module
 * (throttled like the web login), or OpenSubsonic's {@code apiKey} alone (43 beside {@code u}, 44 when it opens nothing).
 */
final class SubsonicLogin {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(15_000);
  /** Players fire a burst of requests (covers, seeks); one check stands for the same credentials this long on this event loop. */
  private static final long CACHE_MILLIS = 10_000;

  private final RevocableCache<JsonObject> cache;

  /** One per HTTP event loop: the cache is not shared. */
  SubsonicLogin(Vertx vertx) {
    cache = new RevocableCache<>(vertx, 10_000, CACHE_MILLIS);
  }

  /** The caller {id, username, role}; fails with a {@link SubsonicError} (10, 40, 42, 43). */
  Future<JsonObject> authenticate(RoutingContext ctx, MultiMap params) {
    String username = params.get("u");
    String password = params.get("p");
    String token = params.get("t");
    String salt = params.get("s");
    String apiKey = params.get("apiKey");
    if (apiKey != null && (username != null || password != null || token != null)) {
      return Future.failedFuture(new SubsonicError(SubsonicError.CONFLICTING_MECHANISMS, "apiKey cannot be combined with u, p or t"));
    }
    if (apiKey != null) {
      return check(ctx, "k\0" + apiKey, new JsonObject().put("apiKey", apiKey), true);
    }
    if (username == null) {
      return Future.failedFuture(SubsonicError.missing("u"));
    }
    if (password != null && token != null) {
      return Future.failedFuture(new SubsonicError(SubsonicError.CONFLICTING_MECHANISMS, "send either p or t and s, not both"));
    }
    if (password == null && token == null) {
      return Future.failedFuture(SubsonicError.missing("t"));
    }
    if (token != null && salt == null) {
      return Future.failedFuture(SubsonicError.missing("s"));
    }
    JsonObject message = new JsonObject().put("username", username);
    if (password != null) {
      String plain = decoded(password);
      if (plain == null) {
        return Future.failedFuture(new SubsonicError(SubsonicError.WRONG_CREDENTIALS, "wrong username or password"));
      }
      message.put("password", plain);
    } else {
      message.put("token", token).put("salt", salt);
    }
    String key = username + '\0' + (password != null ? "p\0" + password : "t\0" + token + '\0' + salt);
    return check(ctx, key, message, false);
  }

  /** Asks the security module unless this loop checked the same credentials ({@code key}) moments ago. */
  private Future<JsonObject> check(RoutingContext ctx, String key, JsonObject message, boolean byApiKey) {
    long current = cache.currentEpoch();
    JsonObject cached = cache.get(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    var remote = ctx.request().remoteAddress();
    message.put("clientAddress", remote == null ? null : remote.hostAddress());
    return ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.APP_LOGIN, message, TIMEOUT)
        .map(reply -> {
          cache.put(key, reply.body(), current);
          return reply.body();
        })
        .recover(e -> Future.failedFuture(refusal(e, byApiKey)));
  }

  private static Throwable refusal(Throwable e, boolean byApiKey) {
    if (e instanceof ReplyException re) {
      if (byApiKey && re.failureCode() == 401) {
        return new SubsonicError(SubsonicError.INVALID_API_KEY, "invalid API key (revoked with its app password, or replaced by a new one)");
      }
      return switch (re.failureCode()) {
        case 401 -> new SubsonicError(SubsonicError.WRONG_CREDENTIALS,
            "wrong username or password (Subsonic apps log in with the app password set in the web player, not the account password)");
        case 429 -> new SubsonicError(SubsonicError.WRONG_CREDENTIALS, re.getMessage());
        case 400 -> new SubsonicError(SubsonicError.MISSING_PARAMETER, re.getMessage());
        default -> Call.asSubsonic(e);
      };
    }
    return e;
  }

  /** {@code p} as sent: plain, or {@code enc:} and the UTF-8 bytes in hex; null when the hex is malformed. */
  static String decoded(String p) {
    if (!p.startsWith("enc:")) {
      return p;
    }
    try {
      return new String(HexFormat.of().parseHex(p.substring(4)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
