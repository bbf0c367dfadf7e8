package io.dspot.testkit;

import io.dspot.log.LogAddresses;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
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
  private final java.util.Map<String, String> settings = new java.util.HashMap<>();

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
    ports.addAll(Ports.take(slots));
  }

  /** A setting (environment-style override, e.g. DSPOT_REPLICATION_FACTOR) for every node started from now on. */
  public RingCluster set(String envName, String value) {
    settings.put(envName, value);
    return this;
  }

  public static String nodeName(int i) {
    return "node-" + (char) ('a' + i);
  }

  public TestNode start(int i) {
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    TestNode.Builder builder = TestNode.builder();
    settings.forEach(builder::set);
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

  /**
   * Starts every configured node, one after another; if a port was taken before its node bound it,
   * stops them and starts all again on fresh ports. (A node started later, or again, keeps the
   * port the member lists name: nothing but another JVM's {@link Ports} hands ports out there.)
   */
  public RingCluster startAll() {
    return Ports.retryOnBindConflict(name, () -> {
      try {
        for (int i = 0; i < size; i++) {
          start(i);
        }
        return this;
      } catch (RuntimeException e) {
        close();
        nodes.clear();
        ports.replaceAll(p -> Ports.take());
        throw e;
      }
    });
  }

  public JsonObject ringStatus(TestNode node) {
    return node.node().vertx().eventBus().<JsonObject>request(LogAddresses.RING_STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().body();
  }

  public void awaitMembers(int expected, long timeoutMillis) {
    Await.within(Duration.ofMillis(timeoutMillis)).until("every running node's ring has " + expected + " members",
        () -> running().stream().map(n -> ringStatus(n).getJsonArray("members").size()).toList(),
        sizes -> sizes.stream().allMatch(s -> s == expected));
  }

  /** Logs in as admin on the node, waiting for the (replicated) admin account to exist. */
  public ApiClient admin(TestNode node) {
    return Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(200))
        .success("admin login on " + node.nodeId(), () -> new ApiClient(node).asAdmin());
  }

  /** Waits until every running node applied the same last sequence number, and returns it. */
  public long awaitConverged(long timeoutMillis) {
    List<Long> seqs = Await.within(Duration.ofMillis(timeoutMillis)).until("every running node applied the same last seq",
        () -> {
          List<Long> last = new ArrayList<>();
          for (TestNode n : running()) {
            last.add(CatalogDigest.lastSeq(n));
          }
          return last;
        },
        last -> last.stream().distinct().count() == 1);
    return seqs.get(0);
  }

  private List<TestNode> running() {
    return nodes.stream().filter(n -> n != null && n.running()).toList();
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
