package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived mode in the lab: three real nodes with {@code ha.mode=keepalived}, one keepalived per
 * node namespace started by {@code ha/lab keepalived N} (VRRPv3, advert_int 0.1, nopreempt) once
 * the nodes are UP. The leader's namespace is killed ({@code ha/lab kill}: JVM, PostgreSQL and
 * keepalived, -9): before and after, exactly one namespace holds the VIP ({@code ip -n NS addr}),
 * the client namespace reaches a live node through it, and the nodes' {@code /api/cluster}, asked
 * through the VIP from the client, names the new holder as keepalived's MASTER.
 */
class KeepalivedFailoverTest {

  private static final JsonObject HA = new JsonObject().put("ha", new JsonObject()
      .put("mode", "keepalived").put("vip", TwoNetworkLab.VIP + "/24").put("interface", "eth1"));

  @TempDir Path dir;
  private TwoNetworkLab lab;
  private final List<NetnsNode> nodes = new ArrayList<>();

  @BeforeEach
  void threeNodesEachWithKeepalived() throws Exception {
    lab = new TwoNetworkLab(dir);
    nodes.addAll(lab.startNodes(dir, HA));
    // As an operator would: keepalived after its node, or its health check only faults the instance.
    for (NetnsNode node : nodes) {
      Await.within(Duration.ofSeconds(150)).every(Duration.ofMillis(500)).until("node-" + node.index + " UP",
          () -> NetnsNode.curl(lab.client(), node.address, "GET", "/api/health", null, null).body().contains("\"UP\""));
    }
    for (NetnsNode node : nodes) {
      lab.script("keepalived", String.valueOf(node.index), node.certsDir.toString());
    }
  }

  @AfterEach
  void down() throws IOException {
    nodes.forEach(NetnsNode::keepLog);
    Path keep = Files.createDirectories(Path.of("target", "netns-node-logs"));
    Path probes = dir.resolve("probes.txt");
    if (Files.exists(probes)) {
      Files.copy(probes, keep.resolve("keepalived-probes-" + System.currentTimeMillis() + ".txt"));
    }
    for (int i = 1; i <= 3; i++) {
      Path log = dir.resolve(lab.tag).resolve("keepalived-n" + i + ".log");
      if (Files.exists(log)) {
        Files.copy(log, keep.resolve("keepalived-n" + i + "-" + System.currentTimeMillis() + ".log"));
      }
    }
    lab.close();
  }

  @Test
  void killingTheMastersNodeMovesTheVipToExactlyOneOtherNodeAndTheClusterSaysSo() throws Exception {
    String leader = Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(100))
        .until("exactly one VIP holder, reachable", lab::reachableHolder, h -> h != null);
    String token = Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(500)).success("admin login through the VIP",
        () -> java.util.Objects.requireNonNull(NetnsNode.curl(lab.client(), TwoNetworkLab.VIP, "POST", "/api/auth/login", null,
            new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD)).json().getString("token")));
    JsonObject before = awaitHaNaming(nodeId(leader), token);
    assertThat(before.getString("mode")).isEqualTo("keepalived");
    assertThat(before.getString("leader")).isEqualTo(nodeId(leader));

    Path probes = dir.resolve("probes.txt");
    Process prober = probeThroughTheVip(probes);
    try {
      Thread.sleep(1_000);
      long killedAt = System.currentTimeMillis();
      lab.script("kill", leader.substring(leader.length() - 1));
      String next = Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(50)).until(
          "exactly one other VIP holder, reachable", lab::reachableHolder, h -> h != null && !h.equals(leader));
      long movedAt = System.currentTimeMillis();
      // Probes answered before the kill landed (ha/lab takes a while to start) are not the end of the outage: one after the move is.
      Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(200)).until("a probe answered UP after the VIP moved",
          () -> answeredSince(probes, movedAt));
      prober.destroy();
      prober.waitFor();
      String outage = NetnsLab.run("python3", "bench/failover-outage.py", probes.toString(), String.valueOf(killedAt / 1000.0), "60").strip();
      System.out.printf("keepalived (advert_int 0.1), kill -9 of %s: the VIP moved to %s, seen there %d ms after the kill began; "
          + "client-visible outage %s ms (bench/failover-probe.py through the VIP every 20 ms, as bench/failover.sh measures)%n",
          leader, next, movedAt - killedAt, outage);

      for (int k = 0; k < 20; k++) {
        assertThat(lab.vipHolders()).as("after the kill").containsExactly(next);
        Thread.sleep(100);
      }
      JsonObject after = awaitHaNaming(nodeId(next), token);
      assertThat(after.getString("leader")).isEqualTo(nodeId(next));
      JsonArray history = after.getJsonArray("failovers");
      JsonObject handOver = history.getJsonObject(history.size() - 1);
      assertThat(handOver.getString("from")).isEqualTo(nodeId(leader));
      assertThat(handOver.getString("to")).isEqualTo(nodeId(next));
      assertThat(handOver.getString("reason")).isEqualTo("keepalived: MASTER on " + nodeId(next));
    } finally {
      prober.destroy();
    }
  }

  /** {@code /api/cluster}'s ha object, asked through the VIP from the client, once it names {@code holder} as VIP holder. */
  private JsonObject awaitHaNaming(String holder, String token) {
    return Await.within(Duration.ofSeconds(10)).every(Duration.ofMillis(200)).until("/api/cluster through the VIP names " + holder,
        () -> {
          NetnsNode.Reply r = NetnsNode.curl(lab.client(), TwoNetworkLab.VIP, "GET", "/api/cluster", token, null);
          return r.status() == 200 ? r.json().getJsonObject("ha") : null;
        }, ha -> ha != null && holder.equals(ha.getString("vipHolder")));
  }

  /** bench/failover-probe.py in the client namespace: a probe of {@code /api/health} through the VIP every 20 ms, each in its own thread. */
  private Process probeThroughTheVip(Path out) throws IOException {
    return new ProcessBuilder("ip", "netns", "exec", lab.client(), "python3", "bench/failover-probe.py", TwoNetworkLab.VIP,
        String.valueOf(NetnsNode.HTTP_PORT), "https", "20", "0.2").redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectOutput(out.toFile()).start();
  }

  /** Whether a probe ("START END ok|fail NODE" lines) got an UP answer at or after {@code sinceMillis}. */
  private static boolean answeredSince(Path probes, long sinceMillis) throws IOException {
    return Files.readAllLines(probes).stream().map(l -> l.trim().split(" ")).anyMatch(cols -> cols.length >= 3
        && cols[2].equals("ok") && Double.parseDouble(cols[1]) * 1000 >= sinceMillis);
  }

  private static String nodeId(String namespace) {
    return "node-" + namespace.substring(namespace.length() - 1);
  }
}
