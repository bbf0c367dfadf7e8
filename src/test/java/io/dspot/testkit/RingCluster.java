package io.dspot.testkit;

import io.dspot.log.LogAddresses;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** N real nodes on loopback forming one cluster (one Hazelcast port and one PostgreSQL each). */
public class RingCluster implements AutoCloseable {

  public final String name = "ring-test-" + UUID.randomUUID();
  public final List<Integer> ports = new ArrayList<>();
  public final List<TestNode> nodes = new ArrayList<>();
  public final int size;
  private final Path dataRoot;

  public RingCluster(int size) {
    this(size, size);
  }

  /** {@code slots} member addresses (some for nodes that join later), {@code size} configured. */
  public RingCluster(int size, int slots) {
    this(size, slots, null);
  }

  /** As above, with each node's data in {@code dataRoot/jvm-<node>} instead of a temp dir. */
  public RingCluster(int size, int slots, Path dataRoot) {
    this.size = size;
    this.dataRoot = dataRoot;
    for (int i = 0; i < slots; i++) {
      ports.add(TestNode.freePort());
    }
  }

  public static String nodeName(int i) {
    return "node-" + (char) ('a' + i);
  }

  public TestNode start(int i) {
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    TestNode.Builder builder = TestNode.builder();
    if (dataRoot != null) {
      builder.dataDir(dataRoot.resolve("jvm-" + nodeName(i)));
    }
    TestNode node = builder
        .set("DSPOT_NODE_ID", nodeName(i))
        .set("DSPOT_CLUSTER_NAME", name)
        .set("DSPOT_CLUSTER_PORT", Integer.toString(ports.get(i)))
        .set("DSPOT_CLUSTER_MEMBERS", members)
        .set("DSPOT_CLUSTER_SIZE", Integer.toString(size))
        .start();
    while (nodes.size() <= i) {
      nodes.add(null);
    }
    nodes.set(i, node);
    return node;
  }

  public RingCluster startAll() {
    for (int i = 0; i < size; i++) {
      start(i);
    }
    return this;
  }

  public JsonObject ringStatus(TestNode node) {
    return node.node().vertx().eventBus().<JsonObject>request(LogAddresses.RING_STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().body();
  }

  public void awaitMembers(int expected, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      boolean all = nodes.stream().filter(n -> n != null && n.running())
          .allMatch(n -> ringStatus(n).getJsonArray("members").size() == expected);
      if (all) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("cluster did not reach " + expected + " members in time");
  }

  /** Logs in as admin on the node, waiting for the (replicated) admin account to exist. */
  public ApiClient admin(TestNode node) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try {
        return new ApiClient(node).asAdmin();
      } catch (IllegalStateException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Waits until every running node applied the same last sequence number, and returns it. */
  public long awaitConverged(long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      List<Long> seqs = new ArrayList<>();
      for (TestNode n : nodes) {
        if (n != null && n.running()) {
          seqs.add(CatalogDigest.lastSeq(n));
        }
      }
      if (seqs.stream().distinct().count() == 1) {
        return seqs.get(0);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("nodes did not converge: " + seqs);
      }
      Thread.sleep(100);
    }
  }

  public String url(int i) {
    return nodes.get(i).baseUrl();
  }

  public long lastSeq(int i) throws Exception {
    return CatalogDigest.lastSeq(nodes.get(i));
  }

  @Override
  public void close() {
    for (TestNode n : nodes) {
      if (n != null) {
        try {
          n.close();
        } catch (RuntimeException ignored) {
          // keep closing the others
        }
      }
    }
  }
}
