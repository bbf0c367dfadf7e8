package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.RingCluster;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder that is alive to Hazelcast but answers nothing (SIGSTOP: the kernel still accepts its
 * connections): a listener streaming through a node without the song gets the range from the next
 * holder within about the relay's header deadline, not after the peers' timeout and retries; the
 * frozen holder's breaker then keeps it out, so later requests do not wait at all.
 *
 * <p>Three real nodes: node-a in its own JVM (to be frozen; the first holder in the location
 * index's order), node-b and node-c in this JVM. Replication is paused, so who holds what is made
 * by hand, and Hazelcast is told to wait a minute for heartbeats, so node-a stays a member while
 * frozen: what is tested is the relay's deadline, not the membership's reaction.
 */
class FrozenHolderFailoverTest {

  private static final int SIZE = 2 * 1024 * 1024;
  /**
   * The relay's header deadline (1 s) plus room for a loaded 2-core machine; below the peers' 2 s
   * timeout on purpose, so the test fails if only that timeout cut the wait (it did, at 2.16 s,
   * with the deadline raised to 3 s); with the breaker's retries on top it took ~6 s.
   */
  private static final Duration WELL_WITHIN = Duration.ofMillis(1_900);

  @TempDir
  Path tmp;

  @Test
  void aFrozenHolderIsPassedOverAfterTheHeaderDeadlineAndTheNextHolderServesTheRange() throws Exception {
    try (RingCluster cluster = new RingCluster(3).set("DSPOT_REPLICATION_ENABLED", "false")
        .set("DSPOT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "60");
        ProcessNode frozen = new ProcessNode(RingCluster.nodeName(0), tmp.resolve("node-a"), cluster.name, cluster.ports.get(0),
            cluster.ports, 3).env("DSPOT_REPLICATION_ENABLED", "false").env("DSPOT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "60")) {
      TestNode second = cluster.start(1);
      TestNode relay = cluster.start(2);
      frozen.start();
      cluster.awaitMembers(3, 30_000);

      byte[] content = TestAudio.wav(SIZE, 4242L);
      ApiClient onFrozen = Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(200))
          .success("admin login on node-a", () -> new ApiClient(frozen.baseUrl()).asAdmin());
      JsonObject song = onFrozen.uploadSong(Files.write(tmp.resolve("song.wav"), content));
      String path = "/api/songs/" + song.getString("id") + "/stream";
      ApiClient viaRelay = cluster.admin(relay);
      Await.within(Duration.ofSeconds(15)).until("node-c knows the song",
          () -> viaRelay.get("/api/songs/" + song.getString("id")).status() == 200);
      HandMadeReplica.make(song.getString("sha256"), frozen.dataDir(), second.nodeId(), second.dataDir(), relay);
      assertThat(relay.blobCount()).as("node-c holds no blob: it relays").isZero();
      // Both holders answer while node-a is awake (and node-c's connections to it are open).
      timedRange(viaRelay, path, content, 0, 65_535);

      try {
        frozen.freeze();
        // Each request asks node-a first (the index's order), then node-b.
        Duration first = timedRange(viaRelay, path, content, 100_000, 165_535);
        assertThat(first).as("first range with node-a frozen").isLessThan(WELL_WITHIN)
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        timedRange(viaRelay, path, content, 1_000_000, 1_065_535);
        timedRange(viaRelay, path, content, 0, SIZE - 1);
        // Three failures open node-a's breaker: it is not asked at all now.
        Duration afterBreakerOpened = timedRange(viaRelay, path, content, 2_000_000, 2_065_535);
        System.out.printf("frozen holder: first range %d ms, once its breaker opened %d ms%n", first.toMillis(),
            afterBreakerOpened.toMillis());
        assertThat(afterBreakerOpened).as("a range once node-a's breaker is open").isLessThan(Duration.ofMillis(700));
      } finally {
        frozen.thaw();
      }
      // Thawed, node-a answers again; the cluster was never told otherwise.
      Await.within(Duration.ofSeconds(20)).until("node-a answers again", () -> onFrozen.get(path, "Range", "bytes=0-0").status() == 206);
    }
  }

  /** Asks node-c for [first, last] of the song; checks status, Content-Range and every byte; returns how long it took. */
  private static Duration timedRange(ApiClient client, String path, byte[] content, int first, int last) {
    long started = System.nanoTime();
    ApiClient.Reply reply = client.get(path, "Range", "bytes=" + first + "-" + last);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(reply.status()).as(reply.status() == 206 ? "" : reply.text()).isEqualTo(206);
    assertThat(reply.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + content.length);
    assertThat(Arrays.equals(reply.body(), Arrays.copyOfRange(content, first, last + 1))).as("the range's bytes").isTrue();
    return took;
  }
}
