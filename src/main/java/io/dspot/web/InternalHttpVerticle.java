package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.http.InternalRoutes;
import io.dspot.metrics.Metrics;
import io.dspot.pki.MemberTls;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal peer API: a second HTTP server bound to the node's internal address only
 * ({@code cluster.host}), never to the external interface. Peers call it through
 * {@code cluster.PeerClient}, over mutual TLS: a caller without a certificate from the cluster CA
 * does not get past the handshake. The modules that own the data contribute the routes ({@link InternalRoutes}).
 */
public final class InternalHttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InternalHttpVerticle.class);

  private final String nodeId;
  private final String host;
  private final int port;
  private final List<InternalRoutes> contributions;
  private final MemberTls tls;
  private final ConnectionGuard connections;
  private HttpServer server;

  /** {@code tls}: this member's certificate and the cluster CA; null only for a cluster set to run insecure. */
  public InternalHttpVerticle(String nodeId, String host, int port, List<InternalRoutes> contributions, MemberTls tls,
      ConnectionGuard connections) {
    this.nodeId = nodeId;
    this.host = host;
    this.port = port;
    this.contributions = List.copyOf(contributions);
    this.tls = tls;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    connections.install(router);
    router.get("/internal/health").handler(NodeHealth.internalHandler(vertx, nodeId));
    // One internal server per node: the place to register the node's status gauges once.
    Metrics metrics = Metrics.of(vertx);
    StatusGauges.register(vertx, metrics);
    MetricsRoutes.mountInternal(router, metrics);
    contributions.forEach(routes -> routes.mount(router));
    router.route().handler(ctx -> ApiReplies.error(ctx, 404, "no such internal endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(ApiReplies::routerFailure);
    HttpServerOptions options = connections.applyTo(new HttpServerOptions());
    return vertx.createHttpServer(tls == null ? options : tls.applyTo(options))
        .connectionHandler(connections.connections(vertx))
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> {
          server = s;
          log.info("internal peer API on {}://{}:{}/internal/{}", tls == null ? "http" : "https", host, s.actualPort(),
              tls == null ? " WITHOUT AUTHENTICATION (cluster.insecure)" : ", members' certificates only");
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
