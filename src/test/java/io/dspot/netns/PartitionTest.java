package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes, each in its own network namespace on a private bridge. One node's link is
 * cut: it must refuse writes (reads still work) while the other two go on; once the link is back
 * it must converge to the same log.
 */
class PartitionTest {

  @TempDir Path dir;

  @Test
  void isolatedNodeRefusesWritesAndConvergesAfterHealing() throws Exception {
    List<NetnsNode> nodes = new ArrayList<>();
    try (NetnsLab lab = new NetnsLab()) {
      String cluster = "netns-" + UUID.randomUUID();
      for (int i = 1; i <= 3; i++) {
        nodes.add(new NetnsNode(i, lab.addHost(i), dir.resolve("n" + i), cluster, 3).start());
      }
      NetnsNode n1 = nodes.get(0);
      NetnsNode n3 = nodes.get(2);
      String token1 = awaitLogin(n1);
      String token3 = awaitLogin(n3);
      awaitTrue(() -> nodes.stream().allMatch(n -> members(n, token1) == 3), 60_000, "three members everywhere");
      assertThat(n1.call("POST", "/api/playlists", token1, new JsonObject().put("name", "before")).status()).isEqualTo(201);

      lab.isolate(3);
      awaitTrue(() -> health(n3, token3).getJsonObject("cluster").getInteger("members") == 1, 30_000, "node-3 alone");
      awaitTrue(() -> health(n1, token1).getJsonObject("cluster").getInteger("members") == 2, 30_000, "node-1 sees two");

      NetnsNode.Reply refused = n3.call("POST", "/api/playlists", token3, new JsonObject().put("name", "isolated"));
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.json().getString("error")).contains("majority");
      assertThat(health(n3, token3).getString("status")).isEqualTo("DEGRADED");
      assertThat(n3.call("GET", "/api/playlists", token3, null).status()).as("reads work while isolated").isEqualTo(200);
      for (int k = 0; k < 5; k++) {
        NetnsNode.Reply r = n1.call("POST", "/api/playlists", token1, new JsonObject().put("name", "majority " + k));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
      }

      lab.heal(3);
      awaitTrue(() -> members(n3, token3) == 3 && members(n1, token1) == 3, 90_000, "partition healed");
      awaitTrue(() -> applied(n3, token3) == applied(n1, token1) && applied(n1, token1) > 0, 30_000, "same log");
      JsonObject onIsolated = n3.call("GET", "/api/playlists", token3, null).json();
      assertThat(onIsolated.getLong("total")).isEqualTo(6);
      NetnsNode.Reply after = n3.call("POST", "/api/playlists", token3, new JsonObject().put("name", "after healing"));
      assertThat(after.status()).as(after.body()).isEqualTo(201);
    } finally {
      nodes.forEach(NetnsNode::keepLog);
    }
  }

  private static String awaitLogin(NetnsNode node) {
    return Await.within(Duration.ofSeconds(90)).every(Duration.ofMillis(500)).success("admin login on node-" + node.index, () -> {
      if (!node.alive()) {
        throw new AssertionError("node-" + node.index + " exited");
      }
      NetnsNode.Reply r = node.call("POST", "/api/auth/login", null,
          new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD));
      if (r.status() != 200) {
        throw new IllegalStateException("login answered " + r.status() + ": " + r.body());
      }
      return r.json().getString("token");
    });
  }

  /** As an admin: anonymous callers see the status alone. */
  private static JsonObject health(NetnsNode node, String token) {
    NetnsNode.Reply r = node.call("GET", "/api/health", token, null);
    return r.status() == 200 ? r.json() : new JsonObject().put("cluster", new JsonObject().put("members", -1));
  }

  private static int members(NetnsNode node, String token) {
    NetnsNode.Reply r = node.call("GET", "/api/cluster", token, null);
    return r.status() == 200 ? r.json().getJsonArray("members").size() : -1;
  }

  private static long applied(NetnsNode node, String token) {
    NetnsNode.Reply r = node.call("GET", "/api/cluster", token, null);
    if (r.status() != 200) {
      return -1;
    }
    for (Object m : r.json().getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if (member.getString("nodeId").equals("node-" + node.index)) {
        Long applied = member.getLong("lastApplied");
        return applied == null ? -1 : applied;
      }
    }
    return -1;
  }

  /** Each check runs curl in a namespace: every 300 ms, and a node that does not answer yet is just "not yet". */
  private static void awaitTrue(java.util.function.BooleanSupplier condition, long timeoutMillis, String what) {
    Await.within(Duration.ofMillis(timeoutMillis)).every(Duration.ofMillis(300)).until(what, () -> {
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException notYet) {
        return false;
      }
    });
  }

}
