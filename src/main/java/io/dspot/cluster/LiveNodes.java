package io.dspot.cluster;

import io.dspot.bus.IdleBackoff;
import io.dspot.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which configured nodes (by node id) are cluster members right now, from the {@link Membership}
 * (Hazelcast's, or this node alone). Each node files its Vert.x node id → node id in a cluster-wide
 * map when it joins; a member that leaves (even by kill -9) drops out when Hazelcast removes it. Thread-safe; changes are announced
 * locally on {@link #CHANGED}. The one source of membership: the ring counts these nodes, and the
 * cluster view ({@link #view}) and health report them.
 */
public final class LiveNodes {

  public static final String CHANGED = "cluster.nodes.changed";
  private static final Logger log = LoggerFactory.getLogger(LiveNodes.class);
  private static final String MAP = "dspot.nodes";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** Looks again every 2 s after a change, backing off to 30 s while nothing changes (an idle node's wake-ups). */
  private static final long RECHECK_SHORTEST_MILLIS = 2_000;
  private static final long RECHECK_LONGEST_MILLIS = 30_000;

  private final Vertx vertx;
  private final Membership membership;
  private final String selfId;
  private final String fingerprint;
  /** Members configured for another cluster, by Vert.x node id: seen, never counted. */
  private final Map<String, MembershipView.Mismatch> refused = new ConcurrentHashMap<>();
  private final Map<String, String> byVertxId = new ConcurrentHashMap<>();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private AsyncMap<String, String> directory;
  private final IdleBackoff recheck = new IdleBackoff(RECHECK_SHORTEST_MILLIS, RECHECK_LONGEST_MILLIS);
  private long recheckTimer = -1;

  private LiveNodes(Vertx vertx, Membership membership, String selfId, String fingerprint) {
    this.vertx = vertx;
    this.membership = membership;
    this.selfId = selfId;
    this.fingerprint = fingerprint;
  }

  /**
   * The config's fingerprint is what all nodes of one cluster must be configured alike on (name,
   * member list, size): a member configured otherwise shares Hazelcast with us but is not one of
   * us — it gets no events, no token and does not count towards a majority.
   */
  public static Future<LiveNodes> join(Vertx vertx, Membership membership, String nodeId, NodeConfig.Cluster config) {
    LiveNodes nodes = new LiveNodes(vertx, membership, nodeId, ConfigFingerprint.of(config));
    // Cluster-wide with a cluster manager; this process's own map for a node alone.
    return vertx.sharedData().<String, String>getAsyncMap(MAP).compose(map -> {
      nodes.directory = map;
      String self = membership.selfId();
      nodes.byVertxId.put(self, nodeId);
      membership.listen(new Membership.Listener() {
        @Override
        public void joined() {
          vertx.runOnContext(v -> nodes.reconcileAndRecheck(true));
        }

        @Override
        public void left(String address) {
          vertx.runOnContext(v -> nodes.reconcileAndRecheck(true));
        }
      });
      return map.put(self, nodeId + "\n" + nodes.fingerprint).map(v -> {
        nodes.reconcileAndRecheck(true);
        return nodes;
      });
    });
  }

  /**
   * Vert.x's member list may trail Hazelcast's event a little: look again soon after a change,
   * and ever more rarely while nothing changes.
   */
  private synchronized void reconcileAndRecheck(boolean eventSeen) {
    boolean changed = reconcile() || eventSeen;
    vertx.cancelTimer(recheckTimer);
    recheckTimer = vertx.setTimer(recheck.next(changed), t -> reconcileAndRecheck(false));
  }

  /** Drops members that left (even by kill -9) and looks up the node ids of new ones; true if anything moved. */
  private boolean reconcile() {
    List<String> members = membership.members();
    // After a healed partition the others may have dropped our entry when we "left": file it again.
    directory.putIfAbsent(membership.selfId(), selfId + "\n" + fingerprint);
    boolean changed = false;
    for (String vertxId : List.copyOf(byVertxId.keySet())) {
      if (!members.contains(vertxId)) {
        String gone = byVertxId.remove(vertxId);
        directory.remove(vertxId);
        log.info("node {} left the cluster", gone);
        changed = true;
      }
    }
    changed |= refused.keySet().retainAll(members);
    for (String vertxId : members) {
      if (!byVertxId.containsKey(vertxId) && !refused.containsKey(vertxId) && pending.add(vertxId)) {
        resolve(vertxId, 0);
      }
    }
    if (changed) {
      announce();
    }
    return changed || !pending.isEmpty();
  }

  /** A member's entry may land in the map just after Hazelcast reports it: retry briefly. */
  private void resolve(String vertxNodeId, int attempt) {
    directory.get(vertxNodeId).onComplete(found -> {
      if (found.succeeded() && found.result() != null) {
        pending.remove(vertxNodeId);
        String[] entry = found.result().split("\n", 2);
        String theirs = entry.length > 1 ? entry[1] : "";
        if (!theirs.equals(fingerprint)) {
          if (refused.put(vertxNodeId, new MembershipView.Mismatch(entry[0], vertxNodeId, theirs, fingerprint)) == null) {
            log.error("node {} ({}) is configured for another cluster: its cluster name/member list/size is '{}', ours is '{}'; "
                + "it takes no part in this one until every node lists the same members and size", entry[0], vertxNodeId, theirs, fingerprint);
            announce();
          }
          return;
        }
        if (membership.members().contains(vertxNodeId) && byVertxId.put(vertxNodeId, entry[0]) == null) {
          log.info("node {} joined the cluster", entry[0]);
          announce();
        }
      } else if (attempt < 50 && membership.members().contains(vertxNodeId)) {
        vertx.setTimer(100, t -> resolve(vertxNodeId, attempt + 1));
      } else {
        pending.remove(vertxNodeId);
      }
    });
  }

  private void announce() {
    vertx.eventBus().publish(CHANGED, null, LOCAL);
  }

  /** Node ids of the live members, this node included, sorted (the ring order). */
  public Set<String> nodeIds() {
    TreeSet<String> ids = new TreeSet<>();
    var members = membership.members();
    byVertxId.forEach((vertxId, nodeId) -> {
      if (members.contains(vertxId)) {
        ids.add(nodeId);
      }
    });
    return ids;
  }

  /**
   * This moment's view for operators and health: the live members with their node ids (null while
   * one is being looked up), the ones configured differently, and whether the counted members
   * make a majority. Endpoints only add addresses; membership itself comes from here.
   */
  public MembershipView view(int configuredSize, int majority, java.util.List<Endpoint> endpoints) {
    Map<String, String> counted = new java.util.HashMap<>();
    var members = membership.members();
    byVertxId.forEach((vertxId, nodeId) -> {
      if (members.contains(vertxId)) {
        counted.put(vertxId, nodeId);
      }
    });
    Map<String, MembershipView.Mismatch> mismatched = new java.util.HashMap<>(refused);
    mismatched.keySet().retainAll(members);
    return MembershipView.of(selfId, configuredSize, majority, Set.copyOf(members), counted, mismatched, endpoints);
  }

  public String self() {
    return selfId;
  }
}
