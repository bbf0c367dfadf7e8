package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.RingCluster;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real 3- and 4-node clusters on loopback: songs reach their factor, are repaired, fill new nodes, survive a lying peer. */
class ReplicationClusterTest {

  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path tmp;

  @Test
  void songReachesExactlyItsFactorIsRepairedWhenAHolderLeavesAndItsReturnCopiesNothing() throws Exception {
    try (RingCluster cluster = new RingCluster(3).set("DSPOT_REPLICATION_FACTOR", "2").set("DSPOT_REPLICATION_GRACE_SECONDS", "2")) {
      cluster.startAll();
      cluster.awaitMembers(3, 20_000);
      Path song = TestAudio.wav(tmp.resolve("a.wav"), 400_000, 1);
      String sha = Hashes.sha256Of(song);
      Set<String> placement = Set.copyOf(Placement.holdersFor(sha, List.of("node-a", "node-b", "node-c"), 2));
      // Uploaded on the one node outside the placement: both holders copy it, then the uploader lets its copy go.
      TestNode uploader = cluster.nodes.stream().filter(n -> !placement.contains(n.nodeId())).findFirst().orElseThrow();
      ApiClient admin = cluster.admin(uploader);
      assertThat(admin.uploadSong(song).getString("sha256")).isEqualTo(sha);
      awaitHolders(cluster, sha, placement);

      // A holder leaves; after the 2 s grace the survivors make a second copy again.
      TestNode gone = cluster.nodes.stream().filter(n -> placement.contains(n.nodeId())).findFirst().orElseThrow();
      String goneId = gone.nodeId();
      gone.stop();
      cluster.awaitMembers(2, 20_000);
      Set<String> survivors = cluster.nodes.stream().filter(TestNode::running).map(TestNode::nodeId).collect(Collectors.toSet());
      Await.within(SOON).until("the song is back on both survivors " + survivors,
          () -> holdersOnDisk(cluster, sha), survivors::equals);

      // It comes back with its file and its row: recognised by hash, nothing copied; the extra copy goes.
      gone.startAgain();
      cluster.awaitMembers(3, 20_000);
      awaitHolders(cluster, sha, placement);
      assertThat(status(gone).getLong("copies")).as("copies made by the returning " + goneId).isZero();
      Await.within(SOON).until(goneId + " reports the one blob it holds", () -> status(gone).getInteger("blobs") == 1);
    }
  }

  @Test
  void withFactorAllEveryNodeHoldsEverySongAQuorumUploadAnswersOnceAMajorityHoldsItAndANewNodeFillsItself() throws Exception {
    try (RingCluster cluster = new RingCluster(3, 4).set("DSPOT_REPLICATION_FACTOR", "all").set("DSPOT_REPLICATION_ACK", "quorum")) {
      cluster.startAll();
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      String first = admin.uploadSong(TestAudio.wav(tmp.resolve("a.wav"), 300_000, 2)).getString("sha256");
      assertThat(indexOn(cluster.nodes.get(0), first)).as("holders when the upload was answered").hasSizeGreaterThanOrEqualTo(2);
      String second = admin.uploadSong(TestAudio.wav(tmp.resolve("b.wav"), 300_000, 3)).getString("sha256");
      assertThat(indexOn(cluster.nodes.get(0), second)).as("holders when the upload was answered").hasSizeGreaterThanOrEqualTo(2);
      Set<String> three = Set.of("node-a", "node-b", "node-c");
      awaitHolders(cluster, first, three);
      awaitHolders(cluster, second, three);

      cluster.start(3);
      Set<String> four = Set.of("node-a", "node-b", "node-c", "node-d");
      awaitHolders(cluster, first, four);
      awaitHolders(cluster, second, four);
      JsonObject fresh = status(cluster.nodes.get(3));
      assertThat(fresh.getLong("copies")).isEqualTo(2);
      assertThat(fresh.getString("factor")).isEqualTo("all");
      JsonObject view = admin.get("/api/cluster").json();
      assertThat(view.getJsonArray("members")).hasSize(4).allSatisfy(m -> {
        JsonObject replication = ((JsonObject) m).getJsonObject("replication");
        assertThat(replication.getInteger("blobs")).isEqualTo(2);
        assertThat(replication.getInteger("underReplicated")).isZero();
      });
    }
  }

  @Test
  void aPeerServingCorruptBytesIsPassedOverAndTheCopyComesFromAnotherHolder() throws Exception {
    try (RingCluster cluster = new RingCluster(3).set("DSPOT_REPLICATION_FACTOR", "3")) {
      cluster.start(0);
      cluster.start(1);
      cluster.awaitMembers(2, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      String sha = admin.uploadSong(TestAudio.wav(tmp.resolve("a.wav"), 500_000, 4)).getString("sha256");
      awaitHolders(cluster, sha, Set.of("node-a", "node-b"));

      // node-a, the first holder node-c asks, now serves bytes with the right size and the wrong hash.
      try (RandomAccessFile file = new RandomAccessFile(blobFile(cluster.nodes.get(0), sha).toFile(), "rw")) {
        file.seek(100_000);
        int b = file.read();
        file.seek(100_000);
        file.write(b ^ 0xff);
      }
      TestNode c = cluster.start(2);
      Await.within(SOON).until("node-c holds the song", () -> indexOn(c, sha).contains("node-c"));
      assertThat(sha256Of(blobFile(c, sha))).isEqualTo(sha);
      assertThat(status(c).getLong("copies")).isEqualTo(1);
      assertThat(c.tempFileCount()).as("the corrupt temp copy is gone").isZero();
    }
  }

  /** Waits until exactly {@code expected} hold the blob on disk (with its hash) and every running node's index says the same. */
  private static void awaitHolders(RingCluster cluster, String sha, Set<String> expected) {
    Await.within(SOON).until("blob " + sha.substring(0, 8) + " held by exactly " + expected + " on disk and in every index",
        () -> {
          Set<String> onDisk = holdersOnDisk(cluster, sha);
          List<Set<String>> indexes = new java.util.ArrayList<>();
          for (TestNode n : running(cluster)) {
            indexes.add(indexOn(n, sha));
          }
          return "disk=" + onDisk + " indexes=" + indexes;
        },
        seen -> seen.equals("disk=" + new TreeSet<>(expected) + " indexes="
            + running(cluster).stream().map(n -> new TreeSet<>(expected)).toList()));
  }

  private static List<TestNode> running(RingCluster cluster) {
    return cluster.nodes.stream().filter(n -> n != null && n.running()).toList();
  }

  private static Set<String> holdersOnDisk(RingCluster cluster, String sha) throws IOException {
    Set<String> holders = new TreeSet<>();
    for (TestNode n : running(cluster)) {
      Path file = blobFile(n, sha);
      if (Files.isRegularFile(file) && sha256Of(file).equals(sha)) {
        holders.add(n.nodeId());
      }
    }
    return holders;
  }

  private static Path blobFile(TestNode node, String sha) {
    return node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
  }

  private static String sha256Of(Path file) throws IOException {
    return Hashes.sha256Of(file);
  }

  private static Set<String> indexOn(TestNode node, String sha) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        var statement = c.prepareStatement("SELECT node_id FROM song_locations WHERE sha256 = ?")) {
      statement.setString(1, sha);
      Set<String> holders = new TreeSet<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          holders.add(rs.getString(1));
        }
      }
      return holders;
    }
  }

  private static JsonObject status(TestNode node) {
    return node.vertx().eventBus().<JsonObject>request(ReplicationAddresses.STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().body();
  }
}
