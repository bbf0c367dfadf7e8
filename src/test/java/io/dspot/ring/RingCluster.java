package io.dspot.ring;

import io.dspot.node.ApiClient;
import io.dspot.node.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** N real nodes on loopback forming one cluster (one Hazelcast port and one PostgreSQL each). */
final class RingCluster implements AutoCloseable {

  final String name = "ring-test-" + UUID.randomUUID();
  final List<Integer> ports = new ArrayList<>();
  final List<TestNode> nodes = new ArrayList<>();
  final int size;

  RingCluster(int size) {
    this(size, size);
  }

  /** {@code slots} member addresses (some for nodes that join later), {@code size} configured. */
  RingCluster(int size, int slots) {
    this.size = size;
    for (int i = 0; i < slots; i++) {
      ports.add(TestNode.freePort());
    }
  }

  static String nodeName(int i) {
    return "node-" + (char) ('a' + i);
  }

  TestNode start(int i) {
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    TestNode node = TestNode.builder()
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

  RingCluster startAll() {
    for (int i = 0; i < size; i++) {
      start(i);
    }
    return this;
  }

  JsonObject ringStatus(TestNode node) {
    return node.node().vertx().eventBus().<JsonObject>request(RingAddresses.STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().body();
  }

  void awaitMembers(int expected, long timeoutMillis) throws InterruptedException {
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
  ApiClient admin(TestNode node) throws InterruptedException {
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
  long awaitConverged(long timeoutMillis) throws Exception {
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
