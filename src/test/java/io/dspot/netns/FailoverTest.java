package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in floating IP in the lab (ha config contract of issue 9: {@code ha.mode=builtin}, the
 * VIP on {@code eth1}). After each fault exactly one node namespace holds the VIP, asked of every
 * namespace with {@code ip -n NS addr}, and the client namespace reaches a live node through it.
 * One lab takes the faults in turn: before each, a node an earlier fault killed starts again on its
 * data and the lab settles (three nodes UP, one steady VIP holder), as after a repair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverTest {

  @TempDir static Path dir;
  private TwoNetworkLab lab;
  private final List<NetnsNode> nodes = new ArrayList<>();

  @BeforeAll
  void threeNodesAndAVip() throws Exception {
    lab = new TwoNetworkLab(dir);
    nodes.addAll(lab.startNodes(dir, TwoNetworkLab.builtinHa()));
  }

  @BeforeEach
  void threeLiveNodesAndOneSteadyHolder() throws Exception {
    lab.restore(nodes, Duration.ofSeconds(3), Duration.ofSeconds(150));
  }

  @AfterAll
  void down() {
    nodes.forEach(NetnsNode::keepLog);
    if (lab != null) {
      lab.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kill", "cut", "freeze"})
  void theVipMovesToExactlyOneOtherNode(String fault) {
    String leader = lab.holder();
    long at = System.nanoTime();
    lab.fault(fault, leader);
    // A frozen leader cannot drop the VIP until it wakes: meanwhile the new holder's gratuitous ARP
    // is what sends the client to it, and exactly one holder is checked once the old one is thawed.
    String next = fault.equals("freeze") ? lab.awaitNewHolderReachable(leader, Duration.ofSeconds(20))
        : lab.awaitOneHolderReachable(leader, Duration.ofSeconds(20));
    System.out.printf("%s of the leader: the VIP moved from %s to %s and answered after %d ms%n",
        fault, leader, next, (System.nanoTime() - at) / 1_000_000);
    if (!fault.equals("kill")) {
      // The old leader comes back (thawed, links up): it must not take the VIP back.
      lab.script("heal");
      Await.within(Duration.ofSeconds(10)).every(Duration.ofMillis(50))
          .until("the old leader drops the VIP once back", () -> lab.vipHolders().equals(List.of(next)));
      for (int k = 0; k < 20; k++) {
        assertThat(lab.vipHolders()).as("after the old leader came back").containsExactly(next);
        sleep(250);
      }
    }
  }

  @Test
  void aClientResumesALongSongThroughTheVipWithARangeRequest() throws Exception {
    Path song = TestAudio.wav(dir.resolve("long.wav"), 24 * 1024 * 1024, 9);
    String token = lab.adminToken();
    // Every node holds the song before the leader dies.
    String id = lab.uploadToEveryNode(token, song, nodes);
    String url = "https://" + TwoNetworkLab.VIP + ":" + NetnsNode.HTTP_PORT + "/api/songs/" + id + "/stream";

    Path out = dir.resolve("received.wav");
    // A slow listener: 1 MB/s, so the leader dies mid-song. A client that only receives never
    // learns that its server died (nothing it sends reaches the new holder to be reset), so like
    // the player it gives up on a stream that has stalled for 2 s.
    Process first = new ProcessBuilder("ip", "netns", "exec", lab.client(), "curl", "-sk", "--limit-rate", "1M",
        "--speed-limit", "1000", "--speed-time", "2",
        "-H", "Authorization: Bearer " + token, "-o", out.toString(), url).start();
    Await.within(Duration.ofSeconds(30)).until("a few MB received", () -> Files.exists(out) && Files.size(out) > 3_000_000);
    String leader = lab.holder();
    long at = System.nanoTime();
    lab.fault("kill", leader);
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the stalled stream was given up").isTrue();
    long offset = Files.size(out);
    assertThat(offset).as("the stream broke off mid-song").isLessThan(Files.size(song));

    // Resume from the offset (-C -: a Range request) until it completes, as the player does.
    Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(100)).until("resumed", () -> {
      Process resume = new ProcessBuilder("ip", "netns", "exec", lab.client(), "curl", "-sk", "-f", "--connect-timeout", "1",
          "-C", "-", "-H", "Authorization: Bearer " + token, "-o", out.toString(), url).start();
      return resume.waitFor() == 0;
    });
    System.out.printf("stream broke off at %d bytes; resumed through the VIP and complete %d ms after the kill%n",
        offset, (System.nanoTime() - at) / 1_000_000);
    assertThat(sha256(out)).isEqualTo(sha256(song));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
