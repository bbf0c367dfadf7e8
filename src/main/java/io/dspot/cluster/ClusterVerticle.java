package io.dspot.cluster;

import io.dspot.bus.BusService;
import io.dspot.bus.IdleBackoff;
import io.dspot.config.NodeConfig;
import io.dspot.pki.ClusterIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster module's front door. Owns this node's entries in the service registry, keeps the
 * registry free of departed members, and serves the membership view ({@link ClusterAddresses}).
 * The view is recomputed on every membership event ({@link Membership}), every registry announcement and
 * now and then as a safety net (every 5 s after a change, backing off to a minute while nothing
 * changes: each one reads the whole registry); each recomputation is idempotent.
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);
  private static final long SAFETY_REFRESH_SHORTEST_MILLIS = 5_000;
  private static final long SAFETY_REFRESH_LONGEST_MILLIS = 60_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final String nodeId;
  private final NodeConfig.Cluster config;
  private final LiveNodes nodes;
  private final ClusterIdentity identity;
  private final Membership membership;
  private ServiceDiscovery discovery;
  private ServiceRegistry registry;
  private PeerClient peers;
  private BusService bus;
  private MessageConsumer<JsonObject> announcements;
  private MessageConsumer<Object> nodesChanged;
  private Runnable stopListening;
  private long refreshTimer = -1;
  private final IdleBackoff safetyRefresh = new IdleBackoff(SAFETY_REFRESH_SHORTEST_MILLIS, SAFETY_REFRESH_LONGEST_MILLIS);
  private boolean stopping;
  /** The last registry step; every step waits for it, so two never interleave their changes. */
  private Future<?> lastStep = Future.succeededFuture();
  private JsonObject lastPublished;

  public ClusterVerticle(String nodeId, NodeConfig.Cluster config, Membership membership, LiveNodes nodes, ClusterIdentity identity) {
    this.nodeId = nodeId;
    this.membership = membership;
    this.config = config;
    this.nodes = nodes;
    this.identity = identity;
  }

  @Override
  public Future<?> start() {
    discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions());
    registry = new ServiceRegistry(discovery);
    peers = new PeerClient(vertx, discovery, nodeId, PeerClient.Settings.defaults(), identity.tls());
    stopListening = membership.listen(new Membership.Listener() {
      @Override
      public void joined() {
        context.runOnContext(v -> refreshOnEvent());
      }

      @Override
      public void left(String address) {
        log.info("member {} left the cluster", address);
        context.runOnContext(v -> refreshOnEvent());
      }
    });
    nodesChanged = vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> refreshOnEvent());
    announcements = vertx.eventBus().consumer(new ServiceDiscoveryOptions().getAnnounceAddress(), m -> refreshOnEvent());
    scheduleSafetyRefresh(true);
    // The last announced view when there is one: every membership or registry change refreshes it,
    // and asking the registry again is slow exactly when members come and go (health waited 2 s).
    bus = new BusService(vertx).on(ClusterAddresses.MEMBERS, request -> (lastPublished != null
            ? Future.succeededFuture(lastPublished.copy()) : refresh().map(MembershipView::toJson))
        // Health shows it: a cluster plane without authentication is never a silent state.
        .map(view -> identity.insecure() ? view.put("insecure", true) : view));
    return Future.join(bus.ready(), announcements.completion(), nodesChanged.completion()).compose(v -> refresh());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(refreshTimer);
    if (stopListening != null) {
      stopListening.run();
    }
    // Best effort: a node that cannot unpublish (cluster already gone) is swept by the others.
    return Future.join(bus.close(), announcements.unregister(), nodesChanged.unregister())
        .eventually(() -> serially(registry::unpublishOwn))
        .eventually(() -> peers.close())
        .onComplete(done -> discovery.close())
        .otherwiseEmpty();
  }

  /**
   * Publishes this node's external API and internal peer API once both listen. Callable from any
   * thread (Node calls it from main once every verticle is deployed).
   */
  public Future<Void> publishEndpoints(String apiHost, int apiPort, int internalPort) {
    Promise<Void> published = Promise.promise();
    context.runOnContext(v -> {
      String vertxNodeId = membership.selfId();
      List<Endpoint> endpoints = List.of(
          new Endpoint(nodeId, vertxNodeId, Endpoint.Kind.API, apiHost, apiPort, null),
          new Endpoint(nodeId, vertxNodeId, Endpoint.Kind.INTERNAL, config.host(), internalPort, null));
      serially(() -> registry.publishOwn(endpoints))
          .onSuccess(x -> log.info("published endpoints: api {}:{}, internal {}:{}", apiHost, apiPort,
              config.host(), internalPort))
          .compose(x -> refresh())
          .<Void>mapEmpty()
          .onComplete(published);
    });
    return published.future();
  }

  /** Calls to peers' internal API; one per node, shared by every module that talks to peers. */
  public PeerClient peers() {
    return peers;
  }

  private Future<MembershipView> refresh() {
    return serially(this::computeView);
  }

  private void refreshOnEvent() {
    refresh();
    scheduleSafetyRefresh(true);
  }

  /** The next safety-net refresh: soon after a change (or a failed look), rarely while the view stays the same. */
  private void scheduleSafetyRefresh(boolean changed) {
    vertx.cancelTimer(refreshTimer);
    if (stopping) {
      return;
    }
    refreshTimer = vertx.setTimer(safetyRefresh.next(changed), id -> {
      JsonObject before = lastPublished;
      refresh().onComplete(done -> scheduleSafetyRefresh(done.failed() || !java.util.Objects.equals(before, lastPublished)));
    });
  }

  /** Runs registry steps one after another, on this verticle's event loop. */
  private <T> Future<T> serially(java.util.function.Supplier<Future<T>> step) {
    Future<T> next = lastStep.transform(previous -> step.get());
    lastStep = next;
    return next;
  }

  private Future<MembershipView> computeView() {
    if (!membership.running()) {
      return Future.failedFuture("this node has left the cluster");
    }
    Set<String> live = Set.copyOf(membership.members());
    return registry.endpoints()
        .compose(endpoints -> registry.reconcile(endpoints, live, membership.selfId()))
        .map(endpoints -> nodes.view(config.size(), config.majority(), endpoints))
        .onSuccess(this::announceIfChanged);
  }

  private void announceIfChanged(MembershipView view) {
    JsonObject json = view.toJson();
    if (!json.equals(lastPublished)) {
      if (lastPublished == null || lastPublished.getJsonArray("members").size() != view.members().size()
          || !json.getString("status").equals(lastPublished.getString("status"))) {
        log.info("cluster view: {} of {} configured members {}, {}{}", view.members().size(), view.configuredSize(),
            view.members().stream().map(m -> m.nodeId() == null ? m.vertxNodeId() : m.nodeId()).toList(), view.status(),
            view.reason() == null ? "" : " (" + view.reason() + ")");
      }
      lastPublished = json;
      vertx.eventBus().publish(ClusterAddresses.MEMBERSHIP_CHANGED, json, LOCAL);
    }
  }
}
