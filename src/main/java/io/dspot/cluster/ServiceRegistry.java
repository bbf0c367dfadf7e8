package io.dspot.cluster;

import io.vertx.core.Future;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' endpoints in vertx-service-discovery's cluster-wide map. Records there have no owner
 * and no expiry, so this class also keeps the map honest: it removes the records of members that
 * are gone (a crashed node cannot unpublish itself) and puts back this node's own records if they
 * went missing (a partitioned node's records are swept by the other side; it republishes on heal).
 */
final class ServiceRegistry {

  private static final Logger log = LoggerFactory.getLogger(ServiceRegistry.class);

  private final ServiceDiscovery discovery;
  /** This node's endpoints as currently registered; empty until published and after unpublishing. */
  private final List<Endpoint> own = new ArrayList<>();

  ServiceRegistry(ServiceDiscovery discovery) {
    this.discovery = discovery;
  }

  /** Every node's endpoints, ours included; records that are not node endpoints are left out. */
  Future<List<Endpoint>> endpoints() {
    return discovery.getRecords(r -> true, true)
        .map(records -> records.stream().map(Endpoint::fromRecord).filter(Objects::nonNull).toList());
  }

  /** Publishes this node's endpoints (once; a second call replaces the first). */
  Future<Void> publishOwn(List<Endpoint> endpoints) {
    return unpublishOwn().compose(v -> Future.all(endpoints.stream().map(this::publish).toList()))
        .onSuccess(all -> own.addAll(all.<Endpoint>list()))
        .mapEmpty();
  }

  Future<Void> unpublishOwn() {
    List<Endpoint> registered = List.copyOf(own);
    own.clear();
    return Future.join(registered.stream().map(this::remove).toList()).mapEmpty();
  }

  /**
   * Removes the records of members that are no longer in the cluster and republishes any of this
   * node's records that are missing. Idempotent: every live node may run it at the same time.
   * Callers run it and {@link #publishOwn} one at a time, never interleaved.
   */
  Future<List<Endpoint>> reconcile(List<Endpoint> current, Set<String> liveVertxNodeIds, String selfVertxNodeId) {
    List<Future<?>> work = new ArrayList<>();
    List<Endpoint> kept = new ArrayList<>();
    Set<String> ownRegistrations = own.stream().map(Endpoint::registration).collect(java.util.stream.Collectors.toSet());
    for (Endpoint e : current) {
      if (e.vertxNodeId().equals(selfVertxNodeId) && !ownRegistrations.contains(e.registration())) {
        log.warn("removing duplicate {} endpoint {} of this node", e.kind().label, e.address());
        work.add(remove(e));
      } else if (liveVertxNodeIds.contains(e.vertxNodeId())) {
        kept.add(e);
      } else {
        log.info("removing {} endpoint {} of departed member {} ({})", e.kind().label, e.address(), e.nodeId(), e.vertxNodeId());
        work.add(remove(e));
      }
    }
    for (int i = 0; i < own.size(); i++) {
      Endpoint mine = own.get(i);
      boolean present = kept.stream().anyMatch(e -> Objects.equals(e.registration(), mine.registration()));
      // After a split-brain merge Hazelcast may give this member a new id; the old records go stale.
      boolean renamed = !mine.vertxNodeId().equals(selfVertxNodeId);
      if (present && !renamed) {
        continue;
      }
      log.warn("own {} endpoint {} is {} in the registry (partition healed?): publishing it again", mine.kind().label,
          mine.address(), renamed ? "stale" : "missing");
      int slot = i;
      if (present) {
        kept.removeIf(e -> Objects.equals(e.registration(), mine.registration()));
        work.add(remove(mine));
      }
      work.add(publish(mine.republishedAs(selfVertxNodeId)).onSuccess(republished -> {
        own.set(slot, republished);
        kept.add(republished);
      }));
    }
    return Future.join(work).transform(done -> Future.succeededFuture(kept));
  }

  private Future<Endpoint> publish(Endpoint endpoint) {
    Record record = endpoint.toRecord();
    return discovery.publish(record).map(r -> endpoint.registeredAs(r.getRegistration()));
  }

  /** A record another node removed first counts as removed. */
  private Future<Void> remove(Endpoint endpoint) {
    return discovery.unpublish(endpoint.registration()).recover(e -> {
      log.debug("record {} already gone: {}", endpoint.registration(), e.getMessage());
      return Future.succeededFuture();
    });
  }
}
