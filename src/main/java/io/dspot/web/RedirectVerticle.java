package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional plain-HTTP port ({@code http.redirectPort}): every request is answered with a
 * redirect to the same path and query on HTTPS, and nothing else is served there, so no cookie,
 * token or song ever travels in clear text from it.
 */
public final class RedirectVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RedirectVerticle.class);
  /** A host name or an IPv4/bracketed IPv6 literal: what may be echoed into the Location header. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

  private final String host;
  private final int port;
  private final int httpsPort;
  private HttpServer server;

  public RedirectVerticle(String host, int port, int httpsPort) {
    this.host = host;
    this.port = port;
    this.httpsPort = httpsPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::redirect);
    return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(false))
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> {
          server = s;
          log.info("plain HTTP on {}:{} only redirects to HTTPS on port {}", host, s.actualPort(), httpsPort);
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void redirect(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String path = ctx.request().path();
    if (authority == null || !HOST.matcher(authority.host()).matches()) {
      ApiReplies.error(ctx, 400, "a Host header naming this server is required");
      return;
    }
    if (path == null || !path.startsWith("/") || path.startsWith("//")) {
      ApiReplies.error(ctx, 400, "the request target must be a path starting with a single '/'");
      return;
    }
    String query = ctx.request().query();
    String location = "https://" + authority.host() + (httpsPort == 443 ? "" : ":" + httpsPort) + path + (query == null ? "" : "?" + query);
    HttpMethod method = ctx.request().method();
    // 301 is what every browser caches for GET; 308 keeps the method and body of anything else.
    int status = method == HttpMethod.GET || method == HttpMethod.HEAD ? 301 : 308;
    ctx.response().setStatusCode(status).putHeader("Location", location).putHeader("Content-Length", "0").end();
  }
}
