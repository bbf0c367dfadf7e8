package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes (embedded PostgreSQL, member certificates) in the lab's two networks: the
 * cluster plane listens on the internal address only, the public API on the external one only.
 */
class TwoNetworksTest {

  @TempDir Path dir;

  @Test
  void internalServicesStayOnTheInternalNetworkAndThePublicApiOnTheExternalOne() throws Exception {
    List<NetnsNode> nodes = new ArrayList<>();
    String tag;
    try (TwoNetworkLab lab = new TwoNetworkLab(dir)) {
      tag = lab.tag;
      assertThat(TwoNetworkLab.namespacesOf(tag)).hasSize(6);
      for (int i = 1; i <= 3; i++) {
        nodes.add(new NetnsNode(i, lab.node(i), dir.resolve("n" + i), "lab-" + tag, 3,
            TwoNetworkLab::internal, TwoNetworkLab.external(i), new JsonObject()).start());
      }
      // Every node is UP (a majority of three, over mutual TLS) as seen from the client namespace.
      for (NetnsNode n : nodes) {
        Await.within(Duration.ofSeconds(150)).every(Duration.ofMillis(500)).until("node-" + n.index + " UP", () -> {
          assertThat(n.alive()).as("node-" + n.index + " running").isTrue();
          NetnsNode.Reply r = NetnsNode.curl(lab.client(), n.address, "GET", "/api/health", null, null);
          return r.status() == 200 && r.json().getString("status").equals("UP");
        });
      }

      NetnsNode n1 = nodes.get(0);
      for (NetnsNode n : nodes) {
        // Whatever listens in a node's namespace: its internal address, loopback (PostgreSQL), or the public port outside.
        for (String local : TwoNetworkLab.listening(n.ns)) {
          assertThat(local).as("listening socket in node-" + n.index)
              .matches(a -> a.startsWith(n.internalAddress + ":") || a.startsWith("127.0.0.1:") || a.startsWith("[::1]:")
                  || a.equals(n.address + ":" + NetnsNode.HTTP_PORT), "internal, loopback or the public port");
        }
        assertThat(TwoNetworkLab.listening(n.ns)).contains(n.internalAddress + ":" + NetnsNode.HAZELCAST_PORT,
            n.internalAddress + ":" + NetnsNode.EVENT_BUS_PORT, n.internalAddress + ":" + NetnsNode.INTERNAL_PORT,
            n.address + ":" + NetnsNode.HTTP_PORT);
      }

      for (int port : new int[] {NetnsNode.HAZELCAST_PORT, NetnsNode.EVENT_BUS_PORT, NetnsNode.INTERNAL_PORT}) {
        assertThat(TwoNetworkLab.connects(lab.client(), n1.address, port)).as("client -> external :" + port).isFalse();
        assertThat(TwoNetworkLab.connects(lab.client(), n1.internalAddress, port)).as("client -> internal :" + port).isFalse();
        // The probe itself works: a peer on the internal network does reach it.
        assertThat(TwoNetworkLab.connects(nodes.get(1).ns, n1.internalAddress, port)).as("peer -> internal :" + port).isTrue();
      }
      assertThat(TwoNetworkLab.connects(lab.client(), n1.address, NetnsNode.HTTP_PORT)).isTrue();
      assertThat(TwoNetworkLab.connects(nodes.get(1).ns, n1.internalAddress, NetnsNode.HTTP_PORT))
          .as("public API on the internal address").isFalse();
      NetnsNode.Reply internalRoute = NetnsNode.curl(lab.client(), n1.address, "GET", "/internal/health", null, null);
      assertThat(internalRoute.status()).as("internal route on the external server: " + internalRoute.body()).isEqualTo(404);
    } finally {
      nodes.forEach(NetnsNode::keepLog);
    }
    assertThat(TwoNetworkLab.namespacesOf(tag)).as("namespaces left after down").isEmpty();
    for (NetnsNode n : nodes) {
      Await.within(Duration.ofSeconds(10)).until("node-" + n.index + " gone with its namespace", () -> !n.alive());
    }
  }
}
