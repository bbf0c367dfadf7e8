package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The faults of issue 9 beyond {@link FailoverTest}'s kill, cut and freeze, in the two-network lab
 * with the built-in floating IP: a 1|2 split on the internal network, a restart of the killed
 * leader (with and without {@code ha.preferLeader}), and the leader's PostgreSQL killed alone.
 * After each, exactly one node namespace holds the VIP (asked of every namespace) and the client
 * namespace reaches a live node through it. A 3-node lab takes about a minute to start, so one lab
 * takes several faults in a row, each its own test, ordered so that none disturbs the next.
 */
class LeaderFaultsTest {

  /**
   * The leader timeout of these labs. The default 600 ms is what {@link FailoverTest} measures;
   * here the faults' rules are under test (who may hold, who may commit, who takes it back), and
   * on a shared 2-core machine running several labs (load 20) the node processes stall for up to
   * 1.7 s: with 600 ms a leader then loses sight of its peers and drops the VIP for a moment, with
   * no fault at all, and "exactly one holder, unchanged" would fail for the machine's sake.
   */
  static final long LEADER_TIMEOUT_MILLIS = 2_000;

  /** How long a VIP holder must stay the only one to count as settled. */
  private static final Duration STEADY = Duration.ofSeconds(8);

  /** One lab per nested class: its nodes, an admin token per node, and the helpers each fault uses. */
  abstract static class Lab {

    TwoNetworkLab lab;
    List<NetnsNode> nodes;
    /** The admin's token per node, index 0 for node 1. */
    final List<String> tokens = new ArrayList<>();
    private Path dir;

    /** Extra {@code ha} settings of this lab's nodes. */
    abstract JsonObject ha();

    @BeforeAll
    void threeNodesAndAVip() throws Exception {
      dir = Files.createTempDirectory("dspot-faults");
      lab = new TwoNetworkLab(dir);
      JsonObject config = TwoNetworkLab.builtinHa();
      config.getJsonObject("ha").put("leaderTimeoutMillis", LEADER_TIMEOUT_MILLIS).mergeIn(ha());
      nodes = lab.startNodes(dir, config);
      lab.awaitOneHolderReachable(null, Duration.ofSeconds(150));
      // A login is a write (the session travels through the log): done now, before any fault, and
      // the tokens stay good on every node, also on one that restarts on its data.
      for (NetnsNode n : nodes) {
        tokens.add(login(n, Duration.ofSeconds(120)));
      }
    }

    @AfterAll
    void down() {
      if (nodes != null) {
        nodes.forEach(NetnsNode::keepLog);
      }
      if (lab != null) {
        lab.close();
      }
      NetnsLab.run("rm", "-rf", dir.toString());
    }

    /** A fault starts from a settled lab; an earlier fault that left it otherwise is named here, not blamed on this one. */
    @BeforeEach
    void settled() {
      lab.awaitOneHolderReachable(null, Duration.ofSeconds(30));
    }

    NetnsNode node(String nodeNs) {
      return nodes.get(TwoNetworkLab.indexOf(nodeNs) - 1);
    }

    String token(NetnsNode node) {
      return tokens.get(node.index - 1);
    }

    static String nodeId(String nodeNs) {
      return "node-" + TwoNetworkLab.indexOf(nodeNs);
    }

    /** The admin's token from a node's own external address, once it answers logins. */
    static String login(NetnsNode node, Duration within) {
      return Await.within(within).every(Duration.ofMillis(500)).success("admin login on node-" + node.index, () -> {
        NetnsNode.Reply r = node.call("POST", "/api/auth/login", null,
            new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD));
        if (r.status() != 200) {
          throw new IllegalStateException("login answered " + r.status() + ": " + r.body());
        }
        return r.json().getString("token");
      });
    }

    /** The {@code ha} object of a node's {@code /api/cluster}, as that node sees it. */
    static JsonObject haSeenBy(NetnsNode node, String token) {
      NetnsNode.Reply r = node.call("GET", "/api/cluster", token, null);
      return r.status() == 200 ? r.json().getJsonObject("ha", new JsonObject()) : new JsonObject().put("status", r.status());
    }

    /** The VIP stays with {@code holder} alone (every namespace asked, every 250 ms) for {@link #STEADY}, and answers the client. */
    void staysWith(String holder, String fault) {
      long until = System.nanoTime() + STEADY.toNanos();
      while (System.nanoTime() < until) {
        assertThat(lab.vipHolders()).as(fault + ": the VIP holders").containsExactly(holder);
        sleep(250);
      }
      assertThat(lab.reachableThroughVip()).as(fault + ": the client reaches a live node through the VIP").isTrue();
    }

    /** kill -9 of the holder's node: the new holder, once it answers the client. */
    String killed(String holder, String fault) {
      long at = System.nanoTime();
      lab.fault("kill", holder);
      String next = lab.awaitOneHolderReachable(holder, Duration.ofSeconds(20));
      report(fault, holder, next, at);
      return next;
    }

    static void report(String fault, String from, String to, long sinceNanos) {
      System.out.printf("%s: the VIP moved from %s to %s and answered the client after %d ms%n",
          fault, from, to, (System.nanoTime() - sinceNanos) / 1_000_000);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class WithoutAPreferredLeader extends Lab {

    @Override
    JsonObject ha() {
      return new JsonObject();
    }

    /**
     * Only the leader's internal link goes down: clients still reach it on its external address.
     * It must drop the VIP and refuse writes, the two others elect one holder, and once healed the
     * write it refused was never committed anywhere and a new one works.
     */
    @Test
    @Order(1)
    void split1And2TheSingleNodeHoldsNothingAndCommitsNothing() {
      String fault = "split 1|2";
      String leader = lab.holder();
      NetnsNode single = node(leader);
      String token = token(single);
      long at = System.nanoTime();
      lab.fault("split", leader);
      try {
        splitAndHealed(fault, leader, single, token, at);
      } finally {
        lab.script("heal");
      }
    }

    private void splitAndHealed(String fault, String leader, NetnsNode single, String token, long at) {
      String next = lab.awaitOneHolderReachable(leader, Duration.ofSeconds(20));
      report(fault + " with the leader alone", leader, next, at);
      staysWith(next, fault);

      Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(300)).until(fault + ": the single node reports DEGRADED",
          () -> "DEGRADED".equals(health(single).getString("status")));
      NetnsNode.Reply refused = single.call("POST", "/api/playlists", token, new JsonObject().put("name", "written alone"));
      assertThat(refused.status()).as(fault + ": a write to the single node through its external address: " + refused.body())
          .isEqualTo(503);
      assertThat(refused.json().getString("error")).as(fault + ": the refusal says why").contains("majority");
      assertThat(lab.vipHolders()).as(fault + ": the single node holds no VIP").containsExactly(next);

      lab.script("heal");
      staysWith(next, fault + ", healed");
      NetnsNode.Reply after = Await.within(Duration.ofSeconds(120)).every(Duration.ofSeconds(1)).until(
          fault + ", healed: a write to the formerly single node",
          () -> single.call("POST", "/api/playlists", token, new JsonObject().put("name", "written after healing")),
          r -> r.status() == 201);
      assertThat(after.json().getString("name")).isEqualTo("written after healing");
      for (NetnsNode n : nodes) {
        String onNode = token(n);
        List<String> names = Await.within(Duration.ofSeconds(60)).every(Duration.ofSeconds(1)).until(
            fault + ", healed: node-" + n.index + " has the write made after healing", () -> playlistNames(n, onNode),
            list -> list.contains("written after healing"));
        assertThat(names).as(fault + ": the refused write was committed nowhere (node-" + n.index + ")")
            .doesNotContain("written alone");
      }
      assertThat(lab.holder()).as(fault + ", healed: the VIP stays where it went").isEqualTo(next);
    }

    /** The killed leader starts again on its data: it rejoins and follows, and the VIP stays put. */
    @Test
    @Order(2)
    void restartedOldLeaderRejoinsWithoutTakingTheVipBack() throws Exception {
      String fault = "restart of the old leader";
      String leader = lab.holder();
      String next = killed(leader, "kill -9 of the leader (before its restart)");

      NetnsNode old = node(leader).start();
      String token = login(old, Duration.ofSeconds(150));
      Await.within(Duration.ofSeconds(60)).every(Duration.ofMillis(500)).until(fault + ": it follows " + nodeId(next),
          () -> haSeenBy(old, token), ha -> nodeId(next).equals(ha.getString("leader")));
      staysWith(next, fault);
      assertThat(haSeenBy(old, token).getString("vipHolder")).as(fault + ": whom the restarted node names as holder").isEqualTo(nodeId(next));
    }

    /** Only the leader's PostgreSQL dies: the node lives on, says it is DEGRADED and why, and hands over. */
    @Test
    @Order(3)
    void leaderWhosePostgresDiesHandsOver() {
      String fault = "PostgreSQL of the leader killed";
      String leader = lab.holder();
      NetnsNode sick = node(leader);
      long at = System.nanoTime();
      lab.fault("pgkill", leader);
      String next = lab.awaitOneHolderReachable(leader, Duration.ofSeconds(20));
      report(fault, leader, next, at);
      JsonObject health = Await.within(Duration.ofSeconds(10)).every(Duration.ofMillis(300)).until(
          fault + ": its /api/health", () -> health(sick), h -> "DEGRADED".equals(h.getString("status")));
      assertThat(health.getString("reason")).as(fault + ": the reason in /api/health").contains("database");
      assertThat(sick.alive()).as(fault + ": the node's process lives on").isTrue();
      staysWith(next, fault);
    }

    private JsonObject health(NetnsNode node) {
      NetnsNode.Reply r = node.call("GET", "/api/health", null, null);
      return r.status() == 200 ? r.json() : new JsonObject().put("answered", r.status());
    }

    private static List<String> playlistNames(NetnsNode node, String token) {
      NetnsNode.Reply r = node.call("GET", "/api/playlists?limit=100", token, null);
      List<String> names = new ArrayList<>();
      if (r.status() == 200) {
        for (Object item : r.json().getJsonArray("items", new JsonArray())) {
          names.add(((JsonObject) item).getString("name"));
        }
      }
      return names;
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithAPreferredLeader extends Lab {

    /** Node 1 is preferred: it leads from the start, so it is the leader the fault kills. */
    @Override
    JsonObject ha() {
      return new JsonObject().put("preferLeader", "node-1");
    }

    @Test
    void restartedPreferredLeaderTakesTheVipBackInOneHandOver() throws Exception {
      String fault = "restart of the preferred old leader";
      String preferred = lab.node(1);
      Await.within(Duration.ofSeconds(60)).every(Duration.ofMillis(200)).until("the preferred node leads first",
          () -> lab.vipHolders(), holders -> holders.equals(List.of(preferred)));
      String next = killed(preferred, "kill -9 of the preferred leader");
      // Right after the kill the survivors may not answer /api/cluster yet (Hazelcast still removing
      // the dead member on a loaded machine): the count is read once the new holder answers.
      int handOversBefore = Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(300)).until(
          fault + ": the hand-overs " + nodeId(next) + " reports", () -> haSeenBy(node(next), token(node(next))),
          ha -> ha.getJsonArray("failovers") != null).getJsonArray("failovers").size();

      node(preferred).start();
      // Every namespace is asked every 50 ms from the restart on: the holders seen, in order.
      List<List<String>> seen = new ArrayList<>();
      long[] lastWithOld = {System.nanoTime()};
      Await.within(Duration.ofSeconds(180)).every(Duration.ofMillis(50)).until(fault + ": the preferred node holds the VIP", () -> {
        List<String> holders = lab.vipHolders();
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(holders)) {
          seen.add(holders);
        }
        if (!holders.isEmpty() && !holders.equals(List.of(preferred))) {
          lastWithOld[0] = System.nanoTime();
        }
        return holders.equals(List.of(preferred)) && lab.reachableThroughVip();
      });
      System.out.printf("%s: the VIP went back from %s to %s; no holder (or a dead one) for at most %d ms (holders seen: %s)%n",
          fault, next, preferred, (System.nanoTime() - lastWithOld[0]) / 1_000_000, seen);
      assertThat(seen).as(fault + ": never two holders").allMatch(holders -> holders.size() <= 1);
      // A holder that drops the VIP for a moment and claims it again has handed nothing over.
      List<List<String>> holdersInTurn = new ArrayList<>();
      seen.stream().filter(h -> !h.isEmpty()).forEach(h -> {
        if (holdersInTurn.isEmpty() || !holdersInTurn.get(holdersInTurn.size() - 1).equals(h)) {
          holdersInTurn.add(h);
        }
      });
      assertThat(holdersInTurn).as(fault + ": one hand-over").containsExactly(List.of(next), List.of(preferred));
      staysWith(preferred, fault);

      JsonArray failovers = haSeenBy(node(preferred), token(node(preferred))).getJsonArray("failovers");
      assertThat(failovers.size()).as(fault + ": hand-overs recorded since the restart: " + failovers).isEqualTo(handOversBefore + 1);
      JsonObject last = failovers.getJsonObject(failovers.size() - 1);
      assertThat(last.getString("from")).as(fault + ": " + last).isEqualTo(nodeId(next));
      assertThat(last.getString("to")).as(fault + ": " + last).isEqualTo(nodeId(preferred));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
