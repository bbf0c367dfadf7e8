package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.dspot.pki.CertsCommand;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.CapturedLog;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node configured as a cluster of one (size 1, no member but itself) runs a plain Vert.x: no
 * Hazelcast instance, thread or port. Its ordered log, cluster view and API work as a cluster of
 * one always did, and a config naming more members (and a restart) makes it a member of a cluster.
 */
class SingleNodeModeTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  @Test
  void clusterOfOneRunsWithoutHazelcastAndStillCommitsWritesThroughTheApi() throws Exception {
    Set<HazelcastInstance> instancesBefore = Hazelcast.getAllHazelcastInstances();
    Set<String> hzThreadsBefore = hazelcastThreads();
    CapturedLog log = CapturedLog.of(ClusterBootstrap.class);
    try (TestNode node = TestNode.builder().nodeId("alone").start()) {
      assertThat(node.node().config().cluster().alone()).as("the test's premise: size 1, its own address only").isTrue();
      assertThat(node.vertx().isClustered()).isFalse();
      assertThat(((VertxInternal) node.vertx()).clusterManager()).isNull();
      assertThat(Hazelcast.getAllHazelcastInstances()).as("no Hazelcast instance was made").isEqualTo(instancesBefore);
      assertThat(hazelcastThreads()).as("no Hazelcast thread runs").isSubsetOf(hzThreadsBefore);
      int hazelcastPort = node.node().config().cluster().port();
      assertThatThrownBy(() -> connect(hazelcastPort)).as("nothing listens on cluster.port").isInstanceOf(ConnectException.class);
      assertThat(log.events()).anyMatch(e -> e.getFormattedMessage().startsWith("single-node mode"));

      // Writes go through the ordered log (this node holds the token) and read back over HTTP.
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(1);
      assertThat(admin.get("/api/songs/" + song.getString("id") + "/stream").body())
          .isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.mp3")));
      assertThat(admin.post("/api/users", new JsonObject().put("username", "mia").put("password", "mia-password")).status()).isEqualTo(201);
      assertThat(new ApiClient(node).login("mia", "mia-password").get("/api/auth/me").json().getString("username")).isEqualTo("mia");

      JsonObject cluster = admin.get("/api/cluster").json();
      assertThat(cluster.getString("tokenHolder")).isEqualTo("alone");
      assertThat(cluster.getBoolean("majority")).isTrue();
      assertThat(cluster.getJsonArray("members")).hasSize(1);
      assertThat(cluster.getJsonArray("members").getJsonObject(0).getString("nodeId")).isEqualTo("alone");
      JsonObject health = admin.get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getJsonObject("cluster").getInteger("members")).isEqualTo(1);
    } finally {
      log.close();
    }
  }

  @Test
  void singleNodeGrowsIntoAClusterByItsConfigAndARestart(@TempDir Path tmp) throws Exception {
    Path dataA = tmp.resolve("node-a");
    TestNode alone = TestNode.builder().nodeId("node-a").dataDir(dataA).start();
    JsonObject song;
    try {
      assertThat(alone.vertx().isClustered()).isFalse();
      song = new ApiClient(alone).asAdmin().uploadSong(ApiClient.fixture("tone.mp3"));
    } finally {
      alone.stop();
    }

    // What the README says to do: issue the new member's certificate from the CA the single node made.
    Path certsA = dataA.resolve("cluster");
    assertThat(CertsCommand.run(List.of("node", certsA.toString(), "node-b", "--host", "127.0.0.1"), System.out, System.err)).isZero();
    Path certsB = Files.createDirectories(tmp.resolve("certs-b"));
    for (String file : List.of("ca.crt", "secret", "node-b.crt", "node-b.key")) {
      Files.copy(certsA.resolve(file), certsB.resolve(file));
    }

    String name = "grown-" + UUID.randomUUID();
    List<TestNode> grown = Ports.retryOnBindConflict("grown cluster", () -> {
      List<Integer> ports = Ports.take(2);
      List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
      var a = CompletableFuture.supplyAsync(() -> TestNode.builder().nodeId("node-a").dataDir(dataA)
          .cluster(name, ports.get(0), members, 2).set("DSPOT_CLUSTER_CERTS_DIR", certsA.toString()).start());
      var b = CompletableFuture.supplyAsync(() -> TestNode.builder().nodeId("node-b").dataDir(tmp.resolve("node-b"))
          .cluster(name, ports.get(1), members, 2).set("DSPOT_CLUSTER_CERTS_DIR", certsB.toString()).start());
      try {
        return List.of(a.join(), b.join());
      } catch (RuntimeException e) {
        a.thenAccept(TestNode::stop);
        b.thenAccept(TestNode::stop);
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    });
    TestNode a = grown.get(0);
    TestNode b = grown.get(1);
    try {
      assertThat(a.vertx().isClustered()).as("node-a runs Hazelcast now").isTrue();
      ApiClient adminOnB = Await.within(WITHIN).until("node-b has the admin account from node-a's log",
          () -> tryAdmin(b), client -> client != null);
      Await.within(WITHIN).until("node-b has the song node-a took while alone",
          () -> adminOnB.get("/api/songs").json().getLong("total"), total -> total == 1);
      assertThat(adminOnB.get("/api/songs/" + song.getString("id") + "/stream").body())
          .isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.mp3")));
      // A write through the new member needs both (majority of 2) and reaches node-a.
      assertThat(adminOnB.post("/api/users", new JsonObject().put("username", "mia").put("password", "mia-password")).status())
          .isEqualTo(201);
      Await.within(WITHIN).until("node-a has the account made through node-b",
          () -> new ApiClient(a).asAdmin().get("/api/users").json().getLong("total"), total -> total == 2);
      assertThat(new ApiClient(a).asAdmin().get("/api/cluster").json().getJsonArray("members")).hasSize(2);
    } finally {
      b.close();
      a.stop();
    }
  }

  private static ApiClient tryAdmin(TestNode node) {
    try {
      return new ApiClient(node).asAdmin();
    } catch (RuntimeException | AssertionError notYet) {
      return null;
    }
  }

  private static Set<String> hazelcastThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("hz.")).collect(Collectors.toSet());
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    }
  }

}
