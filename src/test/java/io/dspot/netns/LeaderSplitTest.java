package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in {@code ha.mode=builtin}, each in its own namespace, claiming a VIP on their
 * {@code eth0} with the real {@code ha/vip-up.sh} / {@code vip-down.sh}. Who holds it is asked of
 * every namespace ({@code ip -n NS addr}). The holder's link is cut (a 1|2 split): it must drop the
 * VIP and one of the two others must take it; once healed, the old holder does not take it back.
 */
class LeaderSplitTest {

  private static final String VIP = "198.18.0.100/24";

  @TempDir Path dir;

  @Test
  void theCutOffLeaderReleasesTheVipAndTheMajorityTakesItOnce() throws Exception {
    List<NetnsNode> nodes = new ArrayList<>();
    try (NetnsLab lab = new NetnsLab()) {
      String cluster = "netns-ha-" + UUID.randomUUID();
      for (int i = 1; i <= 3; i++) {
        nodes.add(new NetnsNode(i, lab.addHost(i), dir.resolve("n" + i), cluster, 3)
            .env("DSPOT_REPLICATION_ENABLED", "false")
            .env("DSPOT_HA_MODE", "builtin")
            .env("DSPOT_HA_VIP", VIP)
            .env("DSPOT_HA_INTERFACE", "eth0")
            .env("DSPOT_HA_UP_SCRIPT", Path.of("ha", "vip-up.sh").toAbsolutePath().toString())
            .env("DSPOT_HA_DOWN_SCRIPT", Path.of("ha", "vip-down.sh").toAbsolutePath().toString())
            .start());
      }
      awaitOneHolder(nodes, Duration.ofSeconds(120), -1);
      // Nodes still starting load the machine: let the first leader settle before cutting it off.
      Thread.sleep(3_000);
      int leader = awaitOneHolder(nodes, Duration.ofSeconds(10), -1);

      long cutAt = System.nanoTime();
      lab.isolate(leader);
      int next = awaitOneHolder(nodes, Duration.ofSeconds(5), leader);
      System.out.printf("1|2 split with leader node-%d cut off: node-%d the only VIP holder after %d ms%n", leader, next,
          (System.nanoTime() - cutAt) / 1_000_000);
      Thread.sleep(3_000);
      assertThat(holders(nodes)).as("the single node holds nothing, the majority side one VIP").containsExactly(next);

      lab.heal(leader);
      Thread.sleep(8_000);
      int afterHealing = awaitOneHolder(nodes, Duration.ofSeconds(10), -1);
      assertThat(afterHealing).as("after healing the old leader does not take the VIP back").isNotEqualTo(leader);
    } finally {
      nodes.forEach(NetnsNode::keepLog);
    }
  }

  /** Node indexes whose namespace has the VIP on eth0. */
  private static List<Integer> holders(List<NetnsNode> nodes) {
    List<Integer> found = new ArrayList<>();
    for (NetnsNode n : nodes) {
      if (NetnsLab.run("ip", "-n", n.ns, "-o", "addr", "show", "dev", "eth0").contains(" " + VIP + " ")) {
        found.add(n.index);
      }
    }
    return found;
  }

  private static int awaitOneHolder(List<NetnsNode> nodes, Duration within, int notThis) {
    return Await.within(within).every(Duration.ofMillis(50)).until("exactly one namespace holds the VIP" + (notThis < 0 ? "" : ", not node-" + notThis),
        () -> holders(nodes), h -> h.size() == 1 && h.get(0) != notThis).get(0);
  }
}
