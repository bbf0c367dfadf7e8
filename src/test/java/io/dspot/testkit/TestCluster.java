package io.dspot.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N real nodes on loopback forming one cluster: a shared cluster name, every node's Hazelcast port
 * in every member list, size N. Nodes start in parallel (a Hazelcast join blocks until the
 * cluster answers), each with its own embedded PostgreSQL and data directory.
 */
public final class TestCluster implements AutoCloseable {

  private final String name = "test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts;
  private final List<TestNode> nodes = new ArrayList<>();

  private TestCluster(int size) {
    hazelcastPorts = Ports.take(size);
  }

  /** Starts {@code size} nodes; if a port was taken before its node bound it, all start again on fresh ports. */
  public static TestCluster start(int size) {
    return start(size, java.util.Map.of());
  }

  /** The same, every member with these extra settings (environment-style, e.g. DSPOT_REPLICATION_FACTOR). */
  public static TestCluster start(int size, java.util.Map<String, String> settings) {
    return Ports.retryOnBindConflict(size + "-node cluster", () -> startOnce(size, settings));
  }

  private static TestCluster startOnce(int size, java.util.Map<String, String> settings) {
    TestCluster cluster = new TestCluster(size);
    ExecutorService starters = Executors.newFixedThreadPool(size);
    try {
      List<Future<TestNode>> starting = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        TestNode.Builder builder = cluster.member(i);
        settings.forEach(builder::set);
        starting.add(starters.submit(builder::start));
      }
      RuntimeException failure = null;
      for (Future<TestNode> f : starting) {
        try {
          cluster.nodes.add(f.get());
        } catch (Exception e) {
          // Reported: the first failure, unless a later one is a port conflict (which start retries).
          if (failure == null || Ports.isBindConflict(e) && !Ports.isBindConflict(failure)) {
            failure = new IllegalStateException("a cluster node failed to start", e);
          }
        }
      }
      if (failure != null) {
        cluster.close();
        throw failure;
      }
      return cluster;
    } finally {
      starters.shutdown();
    }
  }

  /** The builder for member {@code index} (node id node-{index+1}); tests may change it before start. */
  public TestNode.Builder member(int index) {
    return TestNode.builder().nodeId("node-" + (index + 1)).cluster(name, hazelcastPorts.get(index), members(), hazelcastPorts.size());
  }

  /** Every member's Hazelcast address, as in each node's config. */
  public List<String> members() {
    return hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  public String name() {
    return name;
  }

  public int size() {
    return hazelcastPorts.size();
  }

  public TestNode node(int index) {
    return nodes.get(index);
  }

  public List<TestNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Stops every node still running, in parallel (each leave waits for Hazelcast). */
  @Override
  public void close() {
    List<Thread> stoppers = nodes.stream().map(n -> new Thread(n::close, "stop-" + n.dataDir().getFileName())).toList();
    stoppers.forEach(Thread::start);
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
