package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node in {@code builtin} mode is a majority of itself: it leads, says so on
 * {@code /internal/leader} and in {@code /api/cluster}, refuses malformed vote requests, and
 * releases the VIP when it stops cleanly.
 */
class SingleLeaderApiTest {

  @TempDir Path dir;

  @Test
  void aLoneBuiltinNodeLeadsReportsItAndReleasesOnStop() throws Exception {
    Path calls = dir.resolve("calls.log");
    Files.createFile(calls);
    TestNode node = TestNode.builder()
        .set("DSPOT_HA_MODE", "builtin")
        .set("DSPOT_HA_VIP", "127.0.0.100/8")
        .set("DSPOT_HA_INTERFACE", "lo")
        .set("DSPOT_HA_UP_SCRIPT", recorder(calls, "up").toString())
        .set("DSPOT_HA_DOWN_SCRIPT", recorder(calls, "down").toString())
        .start();
    try {
      Await.within(Duration.ofSeconds(10)).every(Duration.ofMillis(50)).until("the VIP claimed",
          () -> Files.readAllLines(calls), lines -> lines.contains("up 127.0.0.100/8 lo"));
      ApiClient internal = node.internalClient();
      JsonObject leader = Await.within(Duration.ofSeconds(5)).every(Duration.ofMillis(50)).until("the endpoint says so",
          () -> internal.get(HaAddresses.LEADER_PATH).json(), json -> json.getBoolean("vipHeld", false));
      assertThat(leader.getString("leader")).isEqualTo(node.nodeId());
      assertThat(leader.getString("self")).isEqualTo(node.nodeId());
      assertThat(leader.getLong("term")).isPositive();
      assertThat(leader.getString("since")).isNotBlank();

      ApiClient.Reply garbage = internal.postRaw(HaAddresses.VOTE_PATH, "application/json", "{\"term\":\"x\"}".getBytes());
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.json().getString("error")).contains("term");
      ApiClient.Reply stale = internal.post(HaAddresses.VOTE_PATH, new JsonObject().put("term", 0).put("candidate", "someone"));
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.json().getBoolean("granted")).as("no vote for a past term").isFalse();

      JsonObject ha = new ApiClient(node).asAdmin().get("/api/cluster").json().getJsonObject("ha");
      assertThat(ha.getString("mode")).isEqualTo("builtin");
      assertThat(ha.getString("leader")).isEqualTo(node.nodeId());
      assertThat(ha.getString("vipHolder")).isEqualTo(node.nodeId());
      assertThat(ha.getString("vip")).isEqualTo("127.0.0.100/8");
      assertThat(ha.getJsonArray("failovers")).hasSize(1);
      assertThat(ha.getJsonArray("failovers").getJsonObject(0).getString("reason")).isEqualTo("first election");
    } finally {
      node.close();
    }
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines.get(lines.size() - 1)).as("a clean stop releases the VIP").isEqualTo("down 127.0.0.100/8 lo");
  }

  @Test
  void offModeReportsNoLeader() {
    try (TestNode node = TestNode.builder().start()) {
      JsonObject ha = new ApiClient(node).asAdmin().get("/api/cluster").json().getJsonObject("ha");
      assertThat(ha.getString("mode")).isEqualTo("off");
      assertThat(ha.getString("leader")).isNull();
      assertThat(node.internalClient().get(HaAddresses.LEADER_PATH).json().getBoolean("vipHeld")).isFalse();
    }
  }

  private static Path recorder(Path calls, String what) throws Exception {
    Path script = calls.resolveSibling(what + ".sh");
    Files.writeString(script, "#!/bin/sh\necho \"" + what + " $1 $2\" >> '" + calls + "'\n");
    script.toFile().setExecutable(true);
    return script;
  }
}
