package io.dspot.node;

import io.dspot.bus.ListenerActivity;
import io.dspot.bus.YieldingBandwidth;
import io.dspot.config.NodeConfig;

import io.dspot.catalog.CatalogVerticle;
import io.dspot.cluster.ClusterBootstrap;
import io.dspot.cluster.ClusterVerticle;
import io.dspot.web.InternalHttpVerticle;
import io.dspot.cluster.LiveNodes;
import io.dspot.log.LogRoutes;
import io.dspot.pki.ClusterIdentity;
import io.dspot.log.LogVerticle;
import io.dspot.metrics.MeterNames;
import io.dspot.metrics.Metrics;
import io.dspot.demo.DemoLibrary;
import io.dspot.ha.HaVerticle;
import io.dspot.ha.VipScripts;
import io.dspot.ingest.IngestVerticle;
import io.dspot.ingest.UploadReceiver;
import io.dspot.replication.ReplicationVerticle;
import io.dspot.security.SecurityVerticle;
import io.dspot.storage.BlobRoutes;
import io.dspot.storage.BlobStore;
import io.dspot.storage.StorageVerticle;
import io.dspot.streaming.MediaStreams;
import io.dspot.streaming.Transcoder;
import io.dspot.web.ConnectionGuard;
import io.dspot.web.EdgeCertificate;
import io.dspot.web.RedirectVerticle;
import io.dspot.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its database, its Vert.x and its verticles, deployed in a fixed order (data
 * owners first, the HTTP front door last, so the node only listens once it can answer).
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final int HTTP_INSTANCES = Runtime.getRuntime().availableProcessors();
  /**
   * The process's file descriptors, shared out: the public server's connections may take half,
   * the internal one's (a few peers) a quarter; the rest is the database's, the blobs' and the
   * outgoing peer connections'.
   */
  private static final double PUBLIC_SHARE_OF_DESCRIPTORS = 0.5;
  private static final double INTERNAL_SHARE_OF_DESCRIPTORS = 0.25;
  /** A verticle's stop waits at most for its peers' timeouts (a few seconds); leaving the cluster, for Hazelcast's. */
  private static final java.time.Duration VERTICLE_STOP = java.time.Duration.ofSeconds(15);
  private static final java.time.Duration VERTX_CLOSE = java.time.Duration.ofSeconds(30);

  private final NodeConfig config;
  private final Database database;
  private final Vertx vertx;
  private final Deployments deployments;
  private final Pool pool;
  private final WebVerticles webs;
  private final InternalHttpVerticle internal;
  private final RedirectVerticle redirect;
  private final BlobStore blobs;

  private Node(NodeConfig config, Database database, Vertx vertx, Deployments deployments, Pool pool, WebVerticles webs, InternalHttpVerticle internal,
      RedirectVerticle redirect, BlobStore blobs) {
    this.config = config;
    this.database = database;
    this.vertx = vertx;
    this.deployments = deployments;
    this.pool = pool;
    this.webs = webs;
    this.internal = internal;
    this.redirect = redirect;
    this.blobs = blobs;
  }

  /** The HTTP server instances, all on one port. */
  private static final class WebVerticles {
    private final java.util.List<WebVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();

    WebVerticle add(WebVerticle web) {
      instances.add(web);
      return web;
    }

    int port() {
      return instances.get(0).actualPort();
    }
  }

  /** Blocks until the node is up; for {@code main} and tests, never for an event loop. */
  public static Node start(NodeConfig config) {
    long started = System.nanoTime();
    // First: a clustered node without its certificates, or an edge certificate that cannot be used,
    // stops the node before it touches its data or the network.
    ClusterIdentity identity = ClusterIdentity.establish(config.nodeId(), config.cluster());
    EdgeCertificate certificate = config.http().tls().enabled() ? EdgeCertificate.load(config.http(), config.dataDir()) : null;
    // A node that could never hold the VIP says so now, not by silently never leading.
    VipScripts.verify(config.ha());
    java.util.List<String> vipListeners = alsoOn(config.http().host(),
        config.ha().mode() == NodeConfig.Ha.Mode.OFF ? null : config.ha().vipAddress());
    vipListeners.forEach(VipScripts::verifyCanListen);
    BlobStore blobs = new BlobStore(config.dataDir(), config.replication().minFreeBytes()).open();
    createDefaultImportRoot(config);
    Database database = Database.start(config);
    Vertx vertx = null;
    try {
      database.migrate();
      Metrics metrics = Metrics.create(config.metrics());
      ClusterBootstrap.Started joined = ClusterBootstrap.start(config.cluster(), identity, metrics);
      vertx = joined.vertx();
      metrics.attach(vertx);
      log.info("network transport {}", vertx.isNativeTransportEnabled() ? "epoll" : "nio (epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")");
      Pool pool = database.pool(vertx, config.db().poolSize());
      metrics.gauge(MeterNames.DB_POOL_SIZE, "connections the database pool has open", pool::size);
      String id = config.nodeId();
      LiveNodes nodes = LiveNodes.join(vertx, joined.membership(), id, config.cluster()).await();
      WebVerticles webs = new WebVerticles();
      // Streaming reports its listeners here; replica copies in and out yield to them.
      ListenerActivity listeners = new ListenerActivity();
      Transcoder transcoder = Transcoder.onPath(config.subsonic().maxTranscodes());
      NodeConfig.Replication replicating = config.replication();
      ClusterVerticle cluster = new ClusterVerticle(id, config.cluster(), joined.membership(), nodes, identity);
      // The node's health and its claim to lead both stand on this: a node without its database commits nothing.
      Supplier<Future<?>> databaseCheck = () -> pool.query("SELECT 1").execute();
      HaVerticle ha = new HaVerticle(id, config.ha(), config.cluster().majority(), identity.tls(), databaseCheck);
      InternalHttpVerticle internal = new InternalHttpVerticle(config.nodeId(), config.cluster().host(), config.cluster().internalHttpPort(),
          java.util.List.of(new LogRoutes(vertx, id), ha.routes(), new BlobRoutes(vertx, blobs, listeners,
              new YieldingBandwidth(listeners, replicating.maxBytesPerSecond(), replicating.maxBytesPerSecondWhileStreaming(), System.nanoTime()))),
          identity.tls(), new ConnectionGuard("internal", config.connections(), INTERNAL_SHARE_OF_DESCRIPTORS));
      ConnectionGuard publicConnections = new ConnectionGuard("public", config.connections(), PUBLIC_SHARE_OF_DESCRIPTORS);
      Vertx v = vertx;
      Deployments deployments = new Deployments(v);
      deployments.deploy(cluster)
          .compose(x -> deployments.deploy(internal))
          .compose(x -> {
            LogVerticle orderedLog = new LogVerticle(id, config.cluster().majority(), config.cluster().size(), pool,
                nodes, cluster.peers());
            // Modules register their event appliers and rebuild hooks when built, before the log applies anything.
            SecurityVerticle security = new SecurityVerticle(pool, config.admin(), config.accounts(), config.dataDir(), orderedLog,
                identity.hazelcastClusterName());
            CatalogVerticle catalog = new CatalogVerticle(pool, id, orderedLog, config.catalog());
            ReplicationVerticle replication = new ReplicationVerticle(id, config.replication(), config.cluster().size(), pool, nodes,
                orderedLog, cluster.peers(), blobs, listeners);
            return deployments.deploy(orderedLog)
                .compose(y -> deployments.deploy(security))
                .compose(y -> deployments.deploy(catalog))
                .compose(y -> deployments.deploy(replication));
          })
          .compose(x -> deployments.deploy(new StorageVerticle(blobs, config.replication().scrubBytesPerSecond(),
              config.replication().scrubRestSeconds() * 1_000)))
          .compose(x -> deployments.deploy(new IngestVerticle(blobs, config.importing(), pool)))
          // One HTTP server per core, sharing the port, as nginx runs one worker per core.
          .compose(x -> deployments.deploy("WebVerticle", () -> webs.add(new WebVerticle(id, config.http(), vipListeners, certificate,
                  new UploadReceiver(blobs, config.upload().maxFileBytes()), eventLoop -> new MediaStreams(eventLoop, blobs, cluster.peers(), id, listeners, transcoder),
                  publicConnections, config.requests(), databaseCheck)),
              new DeploymentOptions().setInstances(HTTP_INSTANCES)))
          // Peers find this node only once it answers on both ports.
          .compose(x -> cluster.publishEndpoints(apiHost(config), webs.port(), internal.actualPort()))
          // Last: a node leads (and takes the VIP) only once it serves.
          .compose(x -> deployments.deploy(ha))
          .await();
      if (config.demo().enabled()) {
        DemoLibrary.installInBackground(v, config.dataDir(), blobs);
      }
      RedirectVerticle redirect = null;
      if (config.http().redirectPort() != NodeConfig.Http.NO_REDIRECT) {
        redirect = new RedirectVerticle(config.http().host(), config.http().redirectPort(), webs.port());
        deployments.deploy(redirect).await();
      }
      if (!apiHost(config).equals(config.http().host()) && !config.cluster().host().startsWith("127.")) {
        // A wildcard is fine on one network; with two, the public API would answer on the internal one too.
        log.warn("http.host is the wildcard {}: the public API also answers on the internal address {}; "
            + "set http.host to this node's external address", config.http().host(), config.cluster().host());
      }
      if (certificate == null) {
        log.warn("http.tls.enabled is false: the API and web player speak plain HTTP; only do this behind a reverse proxy that terminates TLS");
      }
      log.info("node {} up in {} ms: web player and API on {}://{}:{}/", config.nodeId(),
          (System.nanoTime() - started) / 1_000_000, config.http().scheme(), config.http().host(), webs.port());
      return new Node(config, database, vertx, deployments, pool, webs, internal, redirect, blobs);
    } catch (Exception e) {
      if (vertx != null) {
        vertx.close().await();
      }
      database.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@code <dataDir>/import}, the default import root, exists from the first start so admins can fill it. */
  private static void createDefaultImportRoot(NodeConfig config) {
    try {
      java.nio.file.Files.createDirectories(config.dataDir().resolve("import"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + config.dataDir().resolve("import") + ": " + e.getMessage(), e);
    }
  }

  public int httpPort() {
    return webs.port();
  }

  /** The plain-HTTP port that only redirects to HTTPS; -1 when there is none. */
  public int redirectPort() {
    return redirect == null ? -1 : redirect.actualPort();
  }

  /** The internal peer API's port (on {@code cluster.host}). */
  public int internalPort() {
    return internal.actualPort();
  }

  /**
   * The public server's addresses besides http.host: the VIP's address when HA is on (the ha
   * config's vipAddress; null when off). A wildcard http.host covers it already, and binding the
   * VIP's port next to a wildcard on the same port would fail.
   */
  static java.util.List<String> alsoOn(String httpHost, String vipAddress) {
    return vipAddress == null || isWildcard(httpHost) ? java.util.List.of() : java.util.List.of(vipAddress);
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** The address peers and clients reach the API on: http.host unless it is a wildcard. */
  private static String apiHost(NodeConfig config) {
    String host = config.http().host();
    return isWildcard(host) ? config.cluster().host() : host;
  }

  /** For operators' tools and tests: where this node's database is, with its credentials (the URL's win over a JDBC call's). */
  public String jdbcUrl() {
    return database.jdbcUrlWithCredentials();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The node's database pool, for the process's own housekeeping (AfterImport). */
  Pool pool() {
    return pool;
  }

  public NodeConfig config() {
    return config;
  }

  /** For tests: this node's blob store (whether a blob's name is durable yet). */
  public BlobStore blobs() {
    return blobs;
  }

  /**
   * Undeploys everything (each verticle bounded, see {@link Deployments}), closes Vert.x and stops the
   * embedded database: a node asked to stop stops.
   */
  public void stop() {
    try {
      deployments.undeployAll(VERTICLE_STOP);
      if (!Deployments.await(vertx.close(), VERTX_CLOSE)) {
        log.warn("Vert.x did not close within {} s; stopping the database anyway", VERTX_CLOSE.toSeconds());
      }
    } finally {
      database.close();
      log.info("node {} stopped", config.nodeId());
    }
  }
}
