package io.dspot.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.dspot.config.NodeConfig;
import io.dspot.metrics.Metrics;
import io.dspot.pki.ClusterIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds this node's Vert.x and its {@link Membership}. A member of a cluster gets a clustered
 * Vert.x: Hazelcast configured from the node config (TCP-IP join on the internal address, no
 * multicast, fast failure detection) and the event bus bound to the same internal address. A
 * cluster of one ({@link NodeConfig.Cluster#alone()}, the single-node default) gets a plain
 * Vert.x: no Hazelcast (its threads, heartbeat and partition upkeep cost an idle node more than
 * everything else), an event bus inside the process, and a membership of itself; the ring, the
 * leader and the cluster view work as for any cluster of one. Growing it is a config change
 * (members and size) and a restart.
 *
 * <p>The event bus speaks mutual TLS with the member certificate ({@link ClusterIdentity}): a
 * peer without a certificate from the cluster CA can neither send a frame nor receive one.
 * Hazelcast (open source: no TLS, no member authentication) listens on the internal address
 * only, with a member endpoint and no client endpoint, and its cluster name is the secret.
 */
public final class ClusterBootstrap {

  private static final Logger log = LoggerFactory.getLogger(ClusterBootstrap.class);

  private ClusterBootstrap() {}

  /** This node's Vert.x and who its members are. */
  public record Started(Vertx vertx, Membership membership) {}

  /** Blocks until this node has joined (or formed) its cluster. */
  public static Started start(NodeConfig.Cluster cluster, ClusterIdentity identity, Metrics metrics) {
    if (cluster.alone()) {
      log.info("single-node mode (cluster.size 1, no other cluster.members): no Hazelcast, the event bus stays in this process; "
          + "to grow into a cluster, set cluster.members and cluster.size on every node and restart");
      return new Started(metrics.applyTo(Vertx.builder(), options()).build(), Membership.alone());
    }
    log.info("cluster mode: one of {} configured nodes, Hazelcast on {}:{} joining through {}", cluster.size(), cluster.host(),
        cluster.port(), cluster.members());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(cluster, identity.hazelcastClusterName()));
    EventBusOptions eventBus = new EventBusOptions()
        .setHost(cluster.host())
        .setClusterPublicHost(cluster.host())
        .setPort(cluster.eventBusPort());
    if (!identity.insecure()) {
      identity.tls().applyTo(eventBus);
    }
    Vertx vertx = metrics.applyTo(Vertx.builder(), options().setEventBusOptions(eventBus))
        .withClusterManager(manager)
        .buildClustered()
        .await();
    return new Started(vertx, Membership.of(manager));
  }

  /**
   * Netty's epoll transport where the platform has it (Linux x86-64, the jar carries its native
   * library), NIO elsewhere: fewer system calls and copies per request (bench/ranges.md).
   */
  private static VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  static Config hazelcastConfig(NodeConfig.Cluster cluster, String clusterName) {
    // Vert.x's own structures as its default-cluster.xml declares them (written out here: reading
    // that file loads Hazelcast's XML config builder and the JDK's DOM parser and schema validation,
    // ~700 classes that stay in the node's metaspace for nothing).
    Config config = new Config();
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1).setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cluster.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.maxNoHeartbeatSeconds()));
    // A member that was cut off rejoins in seconds, not the default five minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");

    // Hazelcast's own metrics collection is the largest cost of an idle node; we do not read it.
    config.getMetricsConfig().setEnabled(false);
    // An idle node's other wake-ups we do not read: the health monitor (OS and cgroup figures every
    // 20 s) and the slow-operation detector (every second). Two event and two IO threads each way
    // (default 5 and 3) carry a handful of members' membership and subscription traffic; the bulk
    // goes over the event bus. Failure detection (heartbeats) is untouched.
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
    config.setProperty("hazelcast.event.thread.count", "2");
    config.setProperty("hazelcast.io.thread.count", "2");

    // The advanced network config has one server socket per protocol; with only the member
    // endpoint there is nothing for Hazelcast clients (nor its REST and memcache text protocols) to talk to.
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(cluster.port()).setPortAutoIncrement(false).setPublicAddress(cluster.host() + ":" + cluster.port());
    member.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    network.setMemberEndpointConfig(member);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(cluster.members());

    // Nothing on our cluster travels as Java serialization; refuse gadget classes if anything tries.
    config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig().setDefaultsDisabled(false));
    return config;
  }
}
