package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.ha.KeepalivedHook.Report;
import io.dspot.ha.KeepalivedHook.State;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** keepalived mode's status rule without Vert.x: the MASTER leads, hand-overs are recorded once and shared. */
class KeepalivedFollowerTest {

  private static final String VIP = "198.18.1.100/24";
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void aLateRetryOfAnOlderStateChangesNothingAndEachChangeIsToldOnce() {
    java.util.List<Report> told = new java.util.ArrayList<>();
    KeepalivedHook hook = new KeepalivedHook(told::add);
    hook.take(State.BACKUP, T0.plusSeconds(2));
    // The MASTER notify that keepalived started before BACKUP got through only now (its retries).
    assertThat(hook.take(State.MASTER, T0.plusSeconds(1)).state()).isEqualTo(State.BACKUP);
    hook.take(State.BACKUP, T0.plusSeconds(3));
    assertThat(hook.take(State.MASTER, T0.plusSeconds(4)).since()).isEqualTo(T0.plusSeconds(4));
    assertThat(told).extracting(Report::state).containsExactly(State.BACKUP, State.MASTER);
    // A report without "at" (by hand) is taken as of now.
    assertThat(hook.take(State.FAULT, null).since()).isAfter(T0.plusSeconds(4));
  }

  @Test
  void beforeKeepalivedSaysAnythingNobodyLeads() {
    KeepalivedFollower node = new KeepalivedFollower("node-1");
    JsonObject status = node.status(Map.of(), VIP);
    assertThat(status.getString("mode")).isEqualTo("keepalived");
    assertThat(status.getString("leader")).isNull();
    assertThat(status.getString("vipHolder")).isNull();
    assertThat(status.getString("vip")).isEqualTo(VIP);
    assertThat(status.getJsonArray("failovers")).isEmpty();
    assertThat(node.toJson(Map.of()).getString("state")).isNull();
  }

  @Test
  void aNodeMadeMasterLeadsHoldsTheVipAndRecordsTheFirstHandOver() {
    KeepalivedFollower node = new KeepalivedFollower("node-1");
    node.reported(new Report(State.BACKUP, T0));
    assertThat(node.status(Map.of(), VIP).getString("leader")).isNull();

    node.reported(new Report(State.MASTER, T0.plusSeconds(1)));
    JsonObject status = node.status(Map.of(), VIP);
    assertThat(status.getString("leader")).isEqualTo("node-1");
    assertThat(status.getString("vipHolder")).isEqualTo("node-1");
    assertThat(status.getString("since")).isEqualTo(T0.plusSeconds(1).toString());
    assertThat(status.getJsonArray("failovers")).hasSize(1);
    JsonObject first = status.getJsonArray("failovers").getJsonObject(0);
    assertThat(first.getString("from")).isNull();
    assertThat(first.getString("to")).isEqualTo("node-1");
    assertThat(first.getString("reason")).isEqualTo("keepalived: MASTER on node-1");

    JsonObject answer = node.toJson(Map.of());
    assertThat(answer.getString("state")).isEqualTo("MASTER");
    assertThat(answer.getBoolean("vipHeld")).isTrue();
    assertThat(answer.getString("leader")).isEqualTo("node-1");
  }

  @Test
  void aBackupNamesThePeerThatSaysItIsMasterAndCopiesItsHistory() {
    KeepalivedFollower one = new KeepalivedFollower("node-1");
    KeepalivedFollower two = new KeepalivedFollower("node-2");
    one.reported(new Report(State.MASTER, T0));
    two.reported(new Report(State.BACKUP, T0));
    JsonObject oneSays = one.toJson(Map.of());
    two.heard("node-1", oneSays);

    JsonObject status = two.status(Map.of("node-1", oneSays), VIP);
    assertThat(status.getString("leader")).isEqualTo("node-1");
    assertThat(status.getString("vipHolder")).isEqualTo("node-1");
    assertThat(status.getString("since")).isEqualTo(T0.toString());
    assertThat(status.getJsonArray("failovers")).isEqualTo(one.status(Map.of(), VIP).getJsonArray("failovers"));
    assertThat(two.toJson(Map.of("node-1", oneSays)).getString("leader")).as("its answer names whom it follows").isEqualTo("node-1");

    // node-1 is gone (no fresh answer) and keepalived makes node-2 MASTER: the hand-over names both.
    assertThat(two.status(Map.of(), VIP).getString("leader")).as("a silent MASTER is nobody's leader").isNull();
    two.reported(new Report(State.MASTER, T0.plusSeconds(5)));
    JsonObject after = two.status(Map.of(), VIP);
    assertThat(after.getString("leader")).isEqualTo("node-2");
    assertThat(after.getJsonArray("failovers")).hasSize(2);
    JsonObject handOver = after.getJsonArray("failovers").getJsonObject(1);
    assertThat(handOver.getString("from")).isEqualTo("node-1");
    assertThat(handOver.getString("to")).isEqualTo("node-2");
    assertThat(handOver.getString("at")).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(handOver.getString("reason")).isEqualTo("keepalived: MASTER on node-2");
  }

  @Test
  void aFaultedOrBackupPeerIsNotTheLeaderAndOfTwoMastersTheNewerIsNamed() {
    KeepalivedFollower three = new KeepalivedFollower("node-3");
    three.reported(new Report(State.BACKUP, T0));
    JsonObject faulted = new JsonObject().put("state", "FAULT").put("stateSince", T0.toString());
    JsonObject older = new JsonObject().put("state", "MASTER").put("stateSince", T0.plusMillis(100).toString());
    JsonObject newer = new JsonObject().put("state", "MASTER").put("stateSince", T0.plusMillis(1_500).toString());
    assertThat(three.status(Map.of("node-1", faulted), VIP).getString("leader")).isNull();
    assertThat(three.status(Map.of("node-1", older, "node-2", newer), VIP).getString("leader")).isEqualTo("node-2");
    assertThat(three.status(Map.of("node-1", newer, "node-2", older), VIP).getString("leader")).isEqualTo("node-1");
  }

  @Test
  void aMasterThatDropsToFaultStopsLeadingAndAReturnRecordsOneMoreHandOver() {
    KeepalivedFollower node = new KeepalivedFollower("node-1");
    node.reported(new Report(State.MASTER, T0));
    node.reported(new Report(State.FAULT, T0.plusSeconds(1)));
    assertThat(node.status(Map.of(), VIP).getString("leader")).isNull();
    assertThat(node.toJson(Map.of()).getBoolean("vipHeld")).isFalse();
    node.reported(new Report(State.MASTER, T0.plusSeconds(2)));
    JsonObject status = node.status(Map.of(), VIP);
    assertThat(status.getJsonArray("failovers")).hasSize(2);
    assertThat(status.getJsonArray("failovers").getJsonObject(1).getString("from")).as("it led before").isEqualTo("node-1");
  }
}
