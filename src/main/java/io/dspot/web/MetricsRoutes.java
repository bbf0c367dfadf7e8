package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.metrics.Metrics;
import io.dspot.security.SecurityAddresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code GET /metrics} in Prometheus text. On the internal server (members' certificates only) it
 * answers every caller that got past the handshake; on the external one only an admin — by
 * session, or by HTTP Basic with the admin's app password (the Subsonic one, so a scraper holds no
 * login password and makes no session per scrape) — unless {@code metrics.public} opens it.
 */
final class MetricsRoutes {

  static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoutes() {}

  static void mountInternal(Router router, Metrics metrics) {
    router.get(PATH).handler(ctx -> serve(ctx, metrics));
  }

  static void mountExternal(Router router, Metrics metrics, Authentication authentication) {
    router.get(PATH).handler(authentication.optional()).handler(ctx -> {
      if (metrics.publicEndpoint() || Authentication.isAdmin(ctx)) {
        serve(ctx, metrics);
      } else if (Authentication.user(ctx) != null) {
        ApiReplies.error(ctx, 403, "only an admin may read /metrics (or set metrics.public=true)");
      } else {
        basicAdmin(ctx, metrics);
      }
    });
  }

  private static void basicAdmin(RoutingContext ctx, Metrics metrics) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"dspot metrics\"");
      ApiReplies.error(ctx, 401, "log in as an admin, or use HTTP Basic with an admin's app password, to read /metrics");
      return;
    }
    String[] credentials = decode(header.substring(6).trim());
    if (credentials == null) {
      ApiReplies.error(ctx, 400, "the Basic credentials are not base64 of user:password");
      return;
    }
    var remote = ctx.request().remoteAddress();
    JsonObject login = new JsonObject().put("username", credentials[0]).put("password", credentials[1])
        .put("clientAddress", remote == null ? null : remote.hostAddress());
    ctx.vertx().eventBus().<JsonObject>request(SecurityAddresses.APP_LOGIN, login, BusCall.TIMEOUT)
        .onSuccess(reply -> {
          if ("admin".equals(reply.body().getString("role"))) {
            serve(ctx, metrics);
          } else {
            ApiReplies.error(ctx, 403, "only an admin may read /metrics (or set metrics.public=true)");
          }
        })
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }

  private static String[] decode(String base64) {
    try {
      String pair = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void serve(RoutingContext ctx, Metrics metrics) {
    metrics.scrapeFresh().onComplete(done -> {
      if (done.failed()) {
        ApiReplies.failure(ctx, done.cause());
      } else if (done.result() == null) {
        ApiReplies.error(ctx, 404, "metrics are off on this node (metrics.enabled=false)");
      } else {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(done.result());
      }
    });
  }
}
