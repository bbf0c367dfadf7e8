package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.Ports;
import io.dspot.testkit.RingCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes on loopback in {@code ha.mode=builtin}, their VIP scripts replaced by
 * ones that only record each call (the real {@code ip} is the lab's; the root namespace's
 * interfaces are never touched). Who holds the VIP is read from the record: a node holds it when
 * its last call was "up". Hazelcast is told to keep a silent member for a minute, so only the
 * leader endpoint can tell that a frozen leader is gone.
 */
class LeaderFailoverTest {

  /** The target is ~1 s; the machine is shared by several builds, so the test allows a little more and prints the time. */
  private static final Duration FAILOVER = Duration.ofMillis(3_000);

  @TempDir Path dir;

  private Path calls;

  @BeforeEach
  void scriptCallLog() throws IOException {
    calls = Files.createFile(dir.resolve("calls.log"));
  }

  /** Three nodes of a fresh cluster, each put into {@code nodes} before any starts, so the caller's finally closes them all. */
  private void startThree(Map<String, ProcessNode> nodes) throws Exception {
    String name = "ha-test-" + UUID.randomUUID();
    List<Integer> ports = Ports.take(3);
    for (int i = 0; i < 3; i++) {
      String id = RingCluster.nodeName(i);
      nodes.put(id, node(id, name, ports.get(i), ports));
    }
    for (ProcessNode n : nodes.values()) {
      n.start();
    }
  }

  @Test
  void oneLeaderHoldsTheVipAndFailoverFollowsKillFreezeAndDatabaseLoss() throws Exception {
    Map<String, ProcessNode> nodes = new HashMap<>();
    try {
      startThree(nodes);
      String first = awaitSingleHolder(Duration.ofSeconds(30), null);

      // kill -9 the leader: one of the others takes the VIP within about a second.
      long killedAt = System.nanoTime();
      nodes.get(first).kill9();
      // Its VIP died with it (on loopback nothing else removes an address the recorder never added).
      Files.writeString(calls, first + " killed 127.0.0.100/8 lo\n", java.nio.file.StandardOpenOption.APPEND);
      long killReturnedAt = System.nanoTime();
      String second = awaitSingleHolder(FAILOVER, first);
      // kill9() also waits for the JVM, its PostgreSQL and its backends to be gone: both times are printed.
      System.out.printf("kill -9 of %s: %s held the VIP %d ms after the kill began (%d ms after kill9() returned)%n", first, second,
          (System.nanoTime() - killedAt) / 1_000_000, (System.nanoTime() - killReturnedAt) / 1_000_000);

      // The old leader comes back: it follows, it does not take the VIP back.
      int upsBeforeRestart = count(first, "up");
      nodes.get(first).start();
      Thread.sleep(3_000);
      assertThat(holders()).as("after %s restarted", first).containsExactly(second);
      assertThat(count(first, "up")).as("the restarted old leader never claims").isEqualTo(upsBeforeRestart);

      // Freeze the leader (its Hazelcast membership lingers): replaced; once thawed it releases and stays out.
      long frozenAt = System.nanoTime();
      nodes.get(second).freeze();
      String third = awaitHolderOtherThan(second, FAILOVER);
      System.out.printf("SIGSTOP of %s: %s held the VIP after %d ms%n", second, third, (System.nanoTime() - frozenAt) / 1_000_000);
      int upsBeforeThaw = count(second, "up");
      nodes.get(second).thaw();
      awaitSingleHolder(Duration.ofSeconds(5), null);
      Thread.sleep(3_000);
      assertThat(holders()).as("after %s thawed", second).containsExactly(third);
      assertThat(lastCallOf(second)).as("the thawed leader released the VIP").isEqualTo("down");
      assertThat(count(second, "up")).as("the thawed leader never claimed again").isEqualTo(upsBeforeThaw);

      // The leader's PostgreSQL dies: the node is unhealthy and hands over.
      long dbKilledAt = System.nanoTime();
      killPostgres(nodes.get(third));
      String fourth = awaitHolderOtherThan(third, Duration.ofSeconds(10));
      System.out.printf("PostgreSQL of %s killed: %s held the VIP after %d ms%n", third, fourth, (System.nanoTime() - dbKilledAt) / 1_000_000);
      Thread.sleep(1_000);
      assertThat(holders()).containsExactly(fourth);
    } finally {
      nodes.values().forEach(ProcessNode::close);
    }
  }

  @Test
  void aLeaderLeftWithoutAMajorityReleasesTheVipAndNobodyTakesIt() throws Exception {
    Map<String, ProcessNode> nodes = new HashMap<>();
    try {
      startThree(nodes);
      String leader = awaitSingleHolder(Duration.ofSeconds(30), null);
      // The other two go silent (as across a 1|2 split seen from the single side): the leader alone has no majority.
      List<ProcessNode> others = new ArrayList<>();
      nodes.forEach((id, n) -> {
        if (!id.equals(leader)) {
          others.add(n);
        }
      });
      long cutAt = System.nanoTime();
      others.forEach(ProcessNode::freeze);
      try {
        Await.within(Duration.ofSeconds(3)).every(Duration.ofMillis(20)).until("the lone leader releases the VIP", () -> holders().isEmpty());
        System.out.printf("lone leader %s released the VIP after %d ms%n", leader, (System.nanoTime() - cutAt) / 1_000_000);
        Thread.sleep(2_000);
        assertThat(holders()).as("a node without a majority never holds the VIP").isEmpty();
      } finally {
        others.forEach(ProcessNode::thaw);
      }
      awaitSingleHolder(Duration.ofSeconds(15), null);
    } finally {
      nodes.values().forEach(ProcessNode::close);
    }
  }

  private ProcessNode node(String id, String cluster, int port, List<Integer> ports) throws IOException {
    Path scripts = Files.createDirectories(dir.resolve("scripts-" + id));
    return new ProcessNode(id, dir.resolve(id), cluster, port, ports, 3)
        .env("DSPOT_REPLICATION_ENABLED", "false")
        .env("DSPOT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "60")
        .env("DSPOT_HA_MODE", "builtin")
        .env("DSPOT_HA_VIP", "127.0.0.100/8")
        .env("DSPOT_HA_INTERFACE", "lo")
        .env("DSPOT_HA_UP_SCRIPT", recorder(scripts, id, "up").toString())
        .env("DSPOT_HA_DOWN_SCRIPT", recorder(scripts, id, "down").toString());
  }

  /** A script that appends "NODE up|down VIP IFACE" to the shared record, one line per call (O_APPEND: whole lines). */
  private Path recorder(Path scripts, String id, String what) throws IOException {
    Path script = scripts.resolve(what + ".sh");
    Files.writeString(script, "#!/bin/sh\necho \"" + id + " " + what + " $1 $2\" >> '" + calls + "'\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private List<String[]> lines() throws IOException {
    return Files.readAllLines(calls).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
  }

  private List<String> holders() throws IOException {
    Map<String, String> last = new java.util.TreeMap<>();
    for (String[] l : lines()) {
      assertThat(l).as("script arguments").endsWith("127.0.0.100/8", "lo");
      last.put(l[0], l[1]);
    }
    return last.entrySet().stream().filter(e -> e.getValue().equals("up")).map(Map.Entry::getKey).toList();
  }

  private List<String> callsOf(String id) throws IOException {
    return lines().stream().filter(l -> l[0].equals(id)).map(l -> l[1]).toList();
  }

  private String lastCallOf(String id) throws IOException {
    List<String> mine = callsOf(id);
    return mine.isEmpty() ? null : mine.get(mine.size() - 1);
  }

  private int count(String id, String what) throws IOException {
    return (int) callsOf(id).stream().filter(what::equals).count();
  }

  /** Exactly one node holds the VIP (not {@code notThis}), polled every 20 ms. */
  private String awaitSingleHolder(Duration within, String notThis) {
    return Await.within(within).every(Duration.ofMillis(20)).until("exactly one VIP holder" + (notThis == null ? "" : " other than " + notThis),
        this::holders, h -> h.size() == 1 && !h.get(0).equals(notThis)).get(0);
  }

  /** Some node other than {@code old} holds the VIP (the old one may still, frozen, until it thaws). */
  private String awaitHolderOtherThan(String old, Duration within) {
    List<String> h = Await.within(within).every(Duration.ofMillis(20)).until("a VIP holder other than " + old,
        this::holders, list -> list.stream().anyMatch(x -> !x.equals(old)));
    List<String> others = h.stream().filter(x -> !x.equals(old)).toList();
    assertThat(others).as("never two new leaders").hasSize(1);
    return others.get(0);
  }

  /** SIGKILL to the node's postmaster only: the JVM lives on without its database. */
  private static void killPostgres(ProcessNode node) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(node.dataDir().resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }
}
