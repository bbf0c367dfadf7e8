package io.dspot.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;

/**
 * The members Vert.x counts, by Vert.x node id, and word when one joins or leaves: Hazelcast's
 * for a node of a cluster, or this node alone, fixed for the life of the process, for a cluster
 * of one ({@link io.dspot.config.NodeConfig.Cluster#alone()}), which runs without a cluster
 * manager. {@link LiveNodes} and {@link ClusterVerticle} read membership only through this.
 */
public sealed interface Membership permits Membership.Alone, Membership.Hazelcast {

  /** What a listener hears; called on a cluster-manager thread. */
  interface Listener {
    void joined();

    /** {@code address}: where the member was (its Hazelcast address), for the log. */
    void left(String address);
  }

  /** This node's Vert.x node id. */
  String selfId();

  /** The Vert.x node ids of the live members, this node included. */
  List<String> members();

  /** False once this node has left its cluster (shut down, or cut off for good). */
  boolean running();

  /** Starts telling {@code listener} about joins and departures; the returned action stops it. */
  Runnable listen(Listener listener);

  static Membership alone() {
    return new Alone(UUID.randomUUID().toString());
  }

  static Membership of(HazelcastClusterManager manager) {
    return new Hazelcast(manager);
  }

  /** Nobody else, ever: no member joins a node that runs without a cluster manager. */
  record Alone(String selfId) implements Membership {
    @Override
    public List<String> members() {
      return List.of(selfId);
    }

    @Override
    public boolean running() {
      return true;
    }

    @Override
    public Runnable listen(Listener listener) {
      return () -> { };
    }
  }

  /** Hazelcast's membership, with the member ids Vert.x gives them. */
  final class Hazelcast implements Membership {
    private final HazelcastClusterManager manager;
    private final HazelcastInstance hazelcast;

    private Hazelcast(HazelcastClusterManager manager) {
      this.manager = manager;
      this.hazelcast = manager.getHazelcastInstance();
    }

    @Override
    public String selfId() {
      return manager.getNodeId();
    }

    @Override
    public List<String> members() {
      // Vert.x node ids are the members' "__vertx.nodeId" attributes, not Hazelcast's member UUIDs.
      return manager.getNodes();
    }

    @Override
    public boolean running() {
      return hazelcast.getLifecycleService().isRunning();
    }

    @Override
    public Runnable listen(Listener listener) {
      // Not manager.nodeListener(...): Vert.x keeps that single slot for its own event bus.
      UUID id = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          listener.joined();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          listener.left(String.valueOf(event.getMember().getAddress()));
        }
      });
      return () -> {
        if (running()) {
          hazelcast.getCluster().removeMembershipListener(id);
        }
      };
    }
  }
}
