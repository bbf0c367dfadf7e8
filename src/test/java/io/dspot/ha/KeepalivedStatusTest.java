package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real nodes on loopback in {@code ha.mode=keepalived}, keepalived played by posting its
 * reports to each node's {@link KeepalivedHook#PATH} as notify.sh does: the node keepalived made
 * MASTER is the leader and VIP holder in both nodes' {@code /api/cluster}, a hand-over is recorded
 * once and shown by both, and the nodes neither elect nor vote. (The VIP is a loopback address:
 * the public server also listens on it, and only the lab's namespaces may carry 198.18.1.100.)
 */
class KeepalivedStatusTest {

  private static final String VIP = "127.0.0.100/8";
  private static TestCluster cluster;
  private static TestNode one;
  private static TestNode two;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, Map.of("DSPOT_HA_MODE", "keepalived", "DSPOT_HA_VIP", VIP, "DSPOT_HA_INTERFACE", "lo"));
    one = cluster.node(0);
    two = cluster.node(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theMasterLeadsInEveryNodesStatusAndAHandOverIsRecordedOnce() {
    JsonObject before = ha(two);
    assertThat(before.getString("mode")).isEqualTo("keepalived");
    assertThat(before.getString("leader")).as("nobody leads before keepalived says so").isNull();
    assertThat(before.getString("vip")).isEqualTo(VIP);

    report(one, "MASTER");
    report(two, "BACKUP");
    JsonObject atOne = ha(one);
    assertThat(atOne.getString("leader")).isEqualTo(one.nodeId());
    assertThat(atOne.getString("vipHolder")).isEqualTo(one.nodeId());
    assertThat(atOne.getString("since")).isNotBlank();
    assertThat(atOne.getJsonArray("failovers")).hasSize(1);
    assertThat(atOne.getJsonArray("failovers").getJsonObject(0).getString("reason")).isEqualTo("keepalived: MASTER on " + one.nodeId());
    JsonObject atTwo = awaitLeader(two, one.nodeId());
    assertThat(atTwo.getString("vipHolder")).isEqualTo(one.nodeId());
    assertThat(atTwo.getString("since")).isEqualTo(atOne.getString("since"));
    assertThat(atTwo.getJsonArray("failovers")).isEqualTo(atOne.getJsonArray("failovers"));

    JsonObject answer = two.internalClient().get(HaAddresses.LEADER_PATH).json();
    assertThat(answer.getString("mode")).isEqualTo("keepalived");
    assertThat(answer.getString("state")).isEqualTo("BACKUP");
    assertThat(answer.getBoolean("vipHeld")).isFalse();
    assertThat(answer.getString("leader")).isEqualTo(one.nodeId());

    // keepalived moves the VIP: node one faults, node two becomes MASTER.
    report(one, "FAULT");
    report(two, "MASTER");
    JsonObject after = ha(two);
    assertThat(after.getString("leader")).isEqualTo(two.nodeId());
    assertThat(after.getString("vipHolder")).isEqualTo(two.nodeId());
    JsonArray history = after.getJsonArray("failovers");
    assertThat(history).hasSize(2);
    JsonObject handOver = history.getJsonObject(1);
    assertThat(handOver.getString("from")).isEqualTo(one.nodeId());
    assertThat(handOver.getString("to")).isEqualTo(two.nodeId());
    assertThat(handOver.getString("reason")).isEqualTo("keepalived: MASTER on " + two.nodeId());
    JsonObject seenByOne = awaitLeader(one, two.nodeId());
    assertThat(seenByOne.getJsonArray("failovers")).isEqualTo(history);
    assertThat(one.internalClient().get(HaAddresses.LEADER_PATH).json().getString("state")).isEqualTo("FAULT");
  }

  @Test
  void aKeepalivedNodeGrantsNoVotes() {
    ApiClient.Reply vote = one.internalClient().post(HaAddresses.VOTE_PATH, new JsonObject().put("term", 1_000).put("candidate", two.nodeId()));
    assertThat(vote.status()).isEqualTo(200);
    assertThat(vote.json().getBoolean("granted")).isFalse();
  }

  private static void report(TestNode node, String state) {
    ApiClient.Reply reply = node.internalClient().post(KeepalivedHook.PATH, new JsonObject().put("state", state));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
  }

  private static JsonObject ha(TestNode node) {
    return new ApiClient(node).asAdmin().get("/api/cluster").json().getJsonObject("ha");
  }

  /** The node's ha status once it names {@code leader} (peers' states arrive with the next poll). */
  private static JsonObject awaitLeader(TestNode node, String leader) {
    return Await.within(Duration.ofSeconds(10)).every(Duration.ofMillis(100)).until(node.nodeId() + " names " + leader,
        () -> ha(node), ha -> leader.equals(ha.getString("leader")));
  }
}
