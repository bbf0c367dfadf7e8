package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.CapturedLog;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real clustered nodes on loopback, each with its own embedded PostgreSQL. The tests share
 * the cluster (forming it is the expensive part); the one that stops a node runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFormationTest {

  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static TestCluster cluster;

  @BeforeAll
  static void formCluster() {
    long started = System.nanoTime();
    cluster = TestCluster.start(3);
    System.out.printf("3-node cluster formed and published in %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void threeNodesSeeEachOtherWithAMajority() {
    for (TestNode node : cluster.nodes()) {
      Await.within(WITHIN).until(node.nodeId() + " sees 3 members, each with its internal endpoint", () -> members(node).getJsonArray("members").size() == 3
          && members(node).getJsonArray("members").stream().allMatch(m -> ((JsonObject) m).getString("internal") != null));
      JsonObject view = members(node);
      assertThat(view.getString("self")).isEqualTo(node.nodeId());
      assertThat(view.getInteger("configuredSize")).isEqualTo(3);
      assertThat(view.getBoolean("majority")).isTrue();
      assertThat(view.getJsonArray("mismatches")).isEmpty();
      assertThat(view.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("nodeId")))
          .containsExactly("node-1", "node-2", "node-3");
      JsonObject second = view.getJsonArray("members").getJsonObject(1);
      assertThat(second.getString("api")).isEqualTo("127.0.0.1:" + cluster.node(1).port());
      assertThat(second.getString("internal")).isEqualTo("127.0.0.1:" + cluster.node(1).internalPort());
    }
  }

  @Test
  @Order(2)
  void registryListsEveryNodesApiAndInternalEndpoint() {
    for (TestNode node : cluster.nodes()) {
      Await.within(WITHIN).until(node.nodeId() + "'s registry lists 3 internal endpoints", () -> records(node, Endpoint.Kind.INTERNAL).size() == 3);
      assertThat(records(node, Endpoint.Kind.INTERNAL)).containsExactlyInAnyOrderElementsOf(
          cluster.nodes().stream().map(n -> n.nodeId() + "@127.0.0.1:" + n.internalPort()).toList());
      assertThat(records(node, Endpoint.Kind.API)).containsExactlyInAnyOrderElementsOf(
          cluster.nodes().stream().map(n -> n.nodeId() + "@127.0.0.1:" + n.port()).toList());
    }
  }

  @Test
  @Order(3)
  void internalHealthAnswersOnEveryInternalPortAndHealthIsUp() {
    for (TestNode node : cluster.nodes()) {
      ApiClient.Reply internal = node.internalClient().get("/internal/health");
      assertThat(internal.status()).isEqualTo(200);
      assertThat(internal.json()).isEqualTo(io.dspot.web.InternalHttpVerticleTest.internalHealth(node.nodeId()));

      JsonObject health = new ApiClient(node).asAdmin().get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getString("reason")).isNull();
      assertThat(health.getJsonObject("cluster")).isEqualTo(new JsonObject()
          .put("members", 3).put("configuredSize", 3).put("majority", true).put("mismatches", new io.vertx.core.json.JsonArray()));
    }
  }

  @Test
  @Order(4)
  void recordsOfAMemberThatIsNotLiveAreSwept() {
    TestNode node = cluster.node(0);
    ServiceDiscovery discovery = ServiceDiscovery.create(node.vertx());
    try {
      // What a member killed with -9 leaves behind: records naming a cluster member id that is gone.
      Endpoint ghost = new Endpoint("node-ghost", UUID.randomUUID().toString(), Endpoint.Kind.INTERNAL, "127.0.0.1", 9, null);
      discovery.publish(ghost.toRecord()).await();

      for (TestNode n : cluster.nodes()) {
        Await.within(WITHIN).until("the ghost's record swept from " + n.nodeId() + "'s registry",
            () -> records(n, Endpoint.Kind.INTERNAL).stream().noneMatch(r -> r.startsWith("node-ghost@")));
      }
      assertThat(records(node, Endpoint.Kind.INTERNAL)).hasSize(3);
    } finally {
      discovery.close();
    }
  }

  @Test
  @Order(5)
  void memberWithAnotherMemberListTakesNoPartAndIsReportedAsMismatch() {
    CapturedLog errors = CapturedLog.of(LiveNodes.class);
    try (TestNode odd = Ports.retryOnBindConflict("node-4", () -> {
      int port = Ports.take();
      List<String> members = new ArrayList<>(cluster.members());
      members.add("127.0.0.1:" + port);
      return TestNode.builder().nodeId("node-4").cluster(cluster.name(), port, members, 4).start();
    })) {
      TestNode node1 = cluster.node(0);
      Await.within(WITHIN).until("node-1 reporting node-4 as a mismatch", () -> mismatchedIds(node1).contains("node-4"));
      JsonObject health = new ApiClient(node1).asAdmin().get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("DEGRADED");
      assertThat(health.getString("reason")).contains("member list differs from node-4's");
      assertThat(health.getJsonObject("cluster").getJsonArray("mismatches").getJsonObject(0).getString("theirs"))
          .endsWith("|4");

      Await.within(WITHIN).until("node-4 reporting nodes 1-3 as mismatches", () -> mismatchedIds(odd).containsAll(List.of("node-1", "node-2", "node-3")));
      // It shares Hazelcast but not the ring: it sees no majority (so it commits nothing), and the
      // others neither send it events nor count it.
      JsonObject oddRing = ringStatus(odd);
      assertThat(oddRing.getJsonArray("members").getList()).containsExactly("node-4");
      assertThat(oddRing.getBoolean("majority")).isFalse();
      assertThat(ringStatus(node1).getJsonArray("members").getList()).doesNotContain("node-4").contains("node-1", "node-2", "node-3");
      // node-4 has no majority, so no admin account: its callers see the status, the reason is on its bus.
      assertThat(new ApiClient(odd).get("/api/health").json()).isEqualTo(new JsonObject().put("status", "DEGRADED"));
      assertThat(members(odd).getString("reason")).contains("member list differs from node-1's");
      assertThat(errors.events()).anyMatch(e -> e.getLevel() == Level.ERROR
          && e.getFormattedMessage().contains("node-4") && e.getFormattedMessage().contains("|4'")
          && e.getFormattedMessage().contains("|3'"));
    } finally {
      errors.close();
    }
    Await.within(WITHIN).until("node-1 UP again once node-4 left", () -> "UP".equals(members(cluster.node(0)).getString("status")));
  }

  @Test
  @Order(6)
  void nodeWithAnotherClusterNameStaysOutAndSaysItHasNoMajority() {
    String otherName = "other-" + UUID.randomUUID();
    try (TestNode stranger = Ports.retryOnBindConflict("node-5", () -> TestNode.builder().nodeId("node-5")
        .cluster(otherName, Ports.take(), cluster.members(), 3).start())) {
      // Alone it has no admin account to log in with: anonymous callers see the status, the details are on its bus.
      assertThat(new ApiClient(stranger).get("/api/health").json()).isEqualTo(new JsonObject().put("status", "DEGRADED"));
      JsonObject view = members(stranger);
      assertThat(view.getString("reason")).contains("sees 1 of 3 configured members").contains("no majority");
      assertThat(view.getInteger("counted")).isEqualTo(1);
      assertThat(members(cluster.node(0)).getJsonArray("members")).hasSize(3);
    }
  }

  @Test
  @Order(7)
  void stoppedNodeLeavesTheOthersRegistriesAndTwoOfThreeStillHaveAMajority() {
    TestNode leaving = cluster.node(2);
    long stopped = System.nanoTime();
    leaving.close();

    List<TestNode> rest = cluster.nodes().subList(0, 2);
    for (TestNode node : rest) {
      Await.within(WITHIN).until(node.nodeId() + " down to 2 registry records of each kind and 2 members", () -> records(node, Endpoint.Kind.INTERNAL).size() == 2 && records(node, Endpoint.Kind.API).size() == 2
          && members(node).getJsonArray("members").size() == 2);
    }
    System.out.printf("stopped node gone from registries and views in %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
    for (TestNode node : rest) {
      assertThat(records(node, Endpoint.Kind.INTERNAL)).noneMatch(r -> r.startsWith("node-3@"));
      JsonObject health = new ApiClient(node).asAdmin().get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getJsonObject("cluster").getInteger("members")).isEqualTo(2);
      assertThat(health.getJsonObject("cluster").getInteger("configuredSize")).isEqualTo(3);
      assertThat(health.getJsonObject("cluster").getBoolean("majority")).isTrue();
    }
  }

  private static JsonObject members(TestNode node) {
    return node.vertx().eventBus().<JsonObject>request(ClusterAddresses.MEMBERS, new JsonObject()).await().body();
  }

  private static JsonObject ringStatus(TestNode node) {
    return node.node().vertx().eventBus().<JsonObject>request(io.dspot.log.LogAddresses.RING_STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().join().body();
  }

  private static List<String> mismatchedIds(TestNode node) {
    return members(node).getJsonArray("mismatches").stream().map(m -> ((JsonObject) m).getString("nodeId")).toList();
  }

  /** "nodeId@host:port" of every record of that kind, as this node's registry sees them. */
  private static List<String> records(TestNode node, Endpoint.Kind kind) {
    ServiceDiscovery discovery = ServiceDiscovery.create(node.vertx());
    try {
      return discovery.getRecords(r -> kind.recordName.equals(r.getName()) && HttpEndpoint.TYPE.equals(r.getType())).await().stream()
          .map(r -> r.getMetadata().getString("nodeId") + "@" + r.getLocation().getString("host") + ":" + r.getLocation().getInteger("port"))
          .toList();
    } finally {
      discovery.close();
    }
  }


}
