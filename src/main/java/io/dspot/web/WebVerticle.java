package io.dspot.web;

import io.dspot.http.RequestParams;
import io.dspot.http.ApiReplies;
import io.dspot.config.NodeConfig;
import io.dspot.ingest.UploadReceiver;
import io.dspot.metrics.Metrics;
import io.dspot.streaming.MediaStreams;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The external HTTP front door: the JSON API under /api and the web player from webroot/. */
public final class WebVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WebVerticle.class);
  /** JSON bodies are small; uploads bypass this limit through their own streaming route. */
  private static final long JSON_BODY_LIMIT = 1024 * 1024;
  /**
   * A year, without includeSubDomains: a node may share its domain with sites that are not ours.
   * Browsers ignore it while the certificate is not trusted, so a self-signed node does not lock
   * anyone out.
   */
  static final String HSTS = "max-age=31536000";

  private final String nodeId;
  private final NodeConfig.Http http;
  private final UploadReceiver uploads;
  private final Function<Vertx, MediaStreams> mediaPerEventLoop;
  private final ConnectionGuard connections;
  private final RequestGuard requests;
  private final EdgeCertificate certificate;
  private final java.util.List<String> alsoOn;
  private final java.util.function.Supplier<Future<?>> databaseCheck;
  private final java.util.List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private MediaStreams media;
  private Authentication authentication;

  /**
   * Uploads and streams are the two in-process calls (their bytes cannot travel over the bus);
   * {@code mediaPerEventLoop} makes this instance's own {@link MediaStreams}. {@code certificate}
   * is null when {@code http.tls.enabled} is false (TLS ends at a reverse proxy). {@code connections}
   * is shared by all instances (they share the port). {@code alsoOn}: further addresses served
   * besides {@code http.host} on the same port (the floating IP, which a node listens on before it
   * holds it: {@code net.ipv4.ip_nonlocal_bind=1}). {@code databaseCheck} succeeds while this
   * node's database answers (for {@code /api/health}).
   */
  public WebVerticle(String nodeId, NodeConfig.Http http, java.util.List<String> alsoOn, EdgeCertificate certificate,
      UploadReceiver uploads, Function<Vertx, MediaStreams> mediaPerEventLoop, ConnectionGuard connections,
      NodeConfig.Requests requests, java.util.function.Supplier<Future<?>> databaseCheck) {
    this.databaseCheck = databaseCheck;
    this.alsoOn = java.util.List.copyOf(alsoOn);
    this.nodeId = nodeId;
    this.http = http;
    this.uploads = uploads;
    this.mediaPerEventLoop = mediaPerEventLoop;
    this.connections = connections;
    this.requests = new RequestGuard(requests.trustedOrigins());
    this.certificate = certificate;
  }

  @Override
  public Future<?> start() {
    media = mediaPerEventLoop.apply(vertx);
    authentication = new Authentication(vertx);
    Router router = Router.router(vertx);
    connections.install(router);
    requests.install(router);
    if (certificate != null) {
      router.route().handler(ctx -> {
        ctx.response().putHeader("Strict-Transport-Security", HSTS);
        ctx.next();
      });
    }
    BodyHandler jsonBodies = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
    router.route("/api/*").handler(ctx -> {
      HttpMethod method = ctx.request().method();
      if (RequestGuard.isUpload(ctx.request()) || method == HttpMethod.GET || method == HttpMethod.HEAD) {
        ctx.next();
      } else {
        jsonBodies.handle(ctx);
      }
    });
    router.route("/api/*").handler(ctx -> {
      if (RequestGuard.isUpload(ctx.request())) {
        ctx.next();
      } else {
        RequestParams.rejectNulCharacters(ctx);
      }
    });
    router.route("/api/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(authentication.optional())
        .handler(new NodeHealth(vertx, nodeId, databaseCheck)::publicHealth);
    AccountRoutes accounts = new AccountRoutes(new TlsOrigin(http.trustedProxies()));
    accounts.mountPublic(router);
    router.route("/api/*").handler(authentication.required());
    MediaRoutes mediaRoutes = new MediaRoutes(media);
    mediaRoutes.mountStreamFirst(router);
    accounts.mount(router);
    new AppPasswordRoutes().mount(router);
    mediaRoutes.mount(router);
    new UploadRoutes(uploads).mount(router);
    new BrowseRoutes().mount(router);
    new LibraryRoutes().mount(router);
    new UserLibraryRoutes().mount(router);
    new PlayQueueRoutes().mount(router);
    new ClusterRoutes().mount(router);
    new io.dspot.subsonic.SubsonicRoutes(vertx, media).mount(router);
    router.route("/api/*").handler(ctx -> ApiReplies.error(ctx, 404, "no such API endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    MetricsRoutes.mountExternal(router, Metrics.of(vertx), authentication);
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    router.route().failureHandler(ApiReplies::routerFailure);

    HttpServerOptions options = connections.applyTo(perRequestCostsOff(new HttpServerOptions()));
    HttpServerOptions secured = certificate == null ? options : certificate.applyTo(options);
    // Port 0 means any free port; -1 makes Vert.x give every instance the same random one.
    return listen(secured, router, http.port() == 0 ? -1 : http.port(), http.host()).compose(first -> {
      Future<?> more = Future.succeededFuture();
      for (String host : alsoOn) {
        more = more.compose(x -> listen(secured, router, first.actualPort(), host));
      }
      return more;
    });
  }

  /**
   * Switches for what Vert.x would otherwise do on every request of this server, none of which it
   * uses (bench/ranges.md, round 7): no response compression (audio is compressed already); no
   * WebSocket compression, which is the only reason Vert.x puts Netty's WebSocket extension handler
   * in every connection's pipeline, where it inspects each request and response for an upgrade (this
   * server has no WebSocket route); and strict thread mode: responses are written only from the
   * connection's own event loop (every handler here runs on it, blocking work comes back to it
   * through its future), so Vert.x hands writes to Netty directly instead of through a queue that
   * other threads could also fill. A write from another thread would fail loudly
   * ({@code IllegalStateException}), not corrupt a response.
   */
  static HttpServerOptions perRequestCostsOff(HttpServerOptions options) {
    return options.setCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setStrictThreadMode(true);
  }

  private Future<HttpServer> listen(HttpServerOptions options, Router router, int port, String host) {
    return vertx.createHttpServer(options)
        .connectionHandler(connections.connections(vertx))
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> {
          servers.add(s);
          log.debug("HTTP server instance listening on {}:{}", host, s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    java.util.List<Future<?>> closing = new java.util.ArrayList<>(java.util.List.of(media.close()));
    servers.forEach(s -> closing.add(s.close()));
    return Future.join(closing);
  }

  public int actualPort() {
    return servers.get(0).actualPort();
  }
}
