package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.LocationRows;
import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.RingCluster;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real 3- and 4-node clusters on loopback: songs reach their factor, are repaired, fill new nodes, survive a lying peer. */
class ReplicationClusterTest {

  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path tmp;

  @Test
  void songReachesExactlyItsFactorAHolderKilledWithSignal9IsReplacedAfterTheGraceAndItsReturnCopiesNothing() throws Exception {
    try (RingCluster cluster = new RingCluster(3).set("DSPOT_REPLICATION_FACTOR", "2").set("DSPOT_REPLICATION_GRACE_SECONDS", "2");
        ProcessNode c = new ProcessNode("node-c", tmp.resolve("node-c"), cluster.name, cluster.ports.get(2), cluster.ports, 3)
            .env("DSPOT_REPLICATION_FACTOR", "2").env("DSPOT_REPLICATION_GRACE_SECONDS", "2")) {
      cluster.start(0);
      cluster.start(1);
      c.start();
      cluster.awaitMembers(3, 30_000);
      // A song node-c (its own JVM, to be killed) is to hold, uploaded on the in-JVM node that is not to.
      Path song = null;
      String sha = null;
      List<String> placement = List.of();
      for (int seed = 10; !placement.contains("node-c"); seed++) {
        song = TestAudio.wav(tmp.resolve("s" + seed + ".wav"), 300_000, seed);
        sha = Hashes.sha256Of(song);
        placement = Placement.holdersFor(sha, List.of("node-a", "node-b", "node-c"), 2);
      }
      List<String> placed = placement;
      TestNode uploader = cluster.nodes.stream().filter(n -> !placed.contains(n.nodeId())).findFirst().orElseThrow();
      ApiClient admin = cluster.admin(uploader);
      admin.uploadSong(song);
      List<Seen> all = new java.util.ArrayList<>(running(cluster));
      all.add(Seen.of(c));
      awaitHolders(all, sha, Set.copyOf(placement));

      c.kill9();
      cluster.awaitMembers(2, 20_000);
      // The dead node's row stays: it may come back with its copy (it can only drop its own row).
      String killed = sha;
      Await.within(SOON).until("the song on both survivors, on disk and in their indexes",
          () -> holdersOnDisk(cluster, killed).equals(Set.of("node-a", "node-b"))
              && indexOn(cluster.nodes.get(0), killed).containsAll(Set.of("node-a", "node-b"))
              && indexOn(cluster.nodes.get(1), killed).containsAll(Set.of("node-a", "node-b")));

      c.start();
      cluster.awaitMembers(3, 30_000);
      awaitHolders(all, sha, Set.copyOf(placement));
      JsonObject back = Await.within(SOON).until("node-c's replication status in the cluster view",
          () -> admin.get("/api/cluster").json().getJsonArray("members").stream().map(JsonObject.class::cast)
              .filter(m -> m.getString("nodeId").equals("node-c")).findFirst().map(m -> m.getJsonObject("replication")).orElse(null),
          r -> r != null && r.getInteger("blobs") == 1);
      assertThat(back.getLong("copies")).as("copies node-c made after its return").isZero();
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
      // Each node counts what is under its factor on its next reconcile pass (every 2 s at most).
      Await.within(Duration.ofSeconds(15)).until("every member of /api/cluster reports 2 blobs and none under its factor",
          () -> admin.get("/api/cluster").json(), view -> view.getJsonArray("members").size() == 4
              && view.getJsonArray("members").stream().map(m -> ((JsonObject) m).getJsonObject("replication"))
                  .allMatch(r -> r != null && r.getInteger("blobs") == 2 && r.getInteger("underReplicated") == 0));
    }
  }

  @Test
  void anEmptyFourthNodeTakesExactlyItsPlacementShareAndSurplusCopiesGoOnlyOnceTheSongIsAtItsFactorElsewhere() throws Exception {
    Path data = tmp.resolve("data");
    try (RingCluster cluster = new RingCluster(3, 4, data).set("DSPOT_REPLICATION_FACTOR", "2")) {
      cluster.startAll();
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      List<String> three = List.of("node-a", "node-b", "node-c");
      List<String> four = List.of("node-a", "node-b", "node-c", "node-d");
      // Songs chosen so that node-d's share has some but not all of them: both kinds of move are seen.
      List<String> shas = new java.util.ArrayList<>();
      int forD = 0;
      for (int seed = 40; shas.size() < 6; seed++) {
        Path song = TestAudio.wav(tmp.resolve("f" + seed + ".wav"), 200_000, seed);
        boolean toD = Placement.holdersFor(Hashes.sha256Of(song), four, 2).contains("node-d");
        if ((toD && forD < 3) || (!toD && shas.size() - forD < 3)) {
          shas.add(admin.uploadSong(song).getString("sha256"));
          forD += toD ? 1 : 0;
        }
      }
      for (String sha : shas) {
        awaitHolders(cluster, sha, Set.copyOf(Placement.holdersFor(sha, three, 2)));
      }
      java.util.Map<String, Long> copiesBefore = new java.util.HashMap<>();
      for (int i = 0; i < 3; i++) {
        copiesBefore.put(cluster.nodes.get(i).nodeId(), status(cluster.nodes.get(i)).getLong("copies"));
      }
      // Known before node-d starts: the watcher sees its disk from its first copy on.
      List<Path> dataDirs = four.stream().map(id -> data.resolve("jvm-" + id)).toList();

      // While node-d joins and fills, every song stays on at least its factor of disks, sampled all along.
      java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.ConcurrentLinkedQueue<String> belowFactor = new java.util.concurrent.ConcurrentLinkedQueue<>();
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          for (String sha : shas) {
            long onDisk = dataDirs.stream().filter(d -> Files.isRegularFile(blobFile(d, sha))).count();
            if (onDisk < 2) {
              belowFactor.add(sha.substring(0, 8) + " on " + onDisk + " disk(s)");
            }
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "factor-watch");
      watcher.start();
      try {
        cluster.start(3);
        for (String sha : shas) {
          awaitHolders(cluster, sha, Set.copyOf(Placement.holdersFor(sha, four, 2)));
        }
      } finally {
        watching.set(false);
        watcher.join();
      }

      assertThat(belowFactor).as("moments a song was on fewer than 2 disks").isEmpty();
      assertThat(status(cluster.nodes.get(3)).getLong("copies")).as("copies node-d made: exactly its share").isEqualTo(forD);
      for (int i = 0; i < 3; i++) {
        assertThat(status(cluster.nodes.get(i)).getLong("copies")).as("copies " + cluster.nodes.get(i).nodeId() + " made since node-d came")
            .isEqualTo(copiesBefore.get(cluster.nodes.get(i).nodeId()));
      }
      Await.within(Duration.ofSeconds(15)).until("every member of /api/cluster reports no song under its factor",
          () -> admin.get("/api/cluster").json(), view -> view.getJsonArray("members").size() == 4
              && view.getJsonArray("members").stream().map(m -> ((JsonObject) m).getJsonObject("replication"))
                  .allMatch(r -> r != null && r.getInteger("underReplicated") == 0 && r.getInteger("backlog") == 0));
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

  @Test
  void aByteFlippedOnDiskIsFoundByTheScrubAndRepairedFromAReplica() throws Exception {
    try (RingCluster cluster = new RingCluster(2).set("DSPOT_REPLICATION_FACTOR", "2")
        .set("DSPOT_REPLICATION_SCRUB_BYTES_PER_SECOND", Long.toString(64L * 1024 * 1024))
        .set("DSPOT_REPLICATION_SCRUB_REST_SECONDS", "1")) {
      cluster.startAll();
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      JsonObject song = admin.uploadSong(TestAudio.wav(tmp.resolve("s.wav"), 400_000, 5));
      String sha = song.getString("sha256");
      awaitHolders(cluster, sha, Set.of("node-a", "node-b"));
      TestNode b = cluster.nodes.get(1);
      long copiesBefore = status(b).getLong("copies");

      try (RandomAccessFile file = new RandomAccessFile(blobFile(b, sha).toFile(), "rw")) {
        file.seek(200_000);
        int x = file.read();
        file.seek(200_000);
        file.write(x ^ 0x01);
      }
      assertThat(sha256Of(blobFile(b, sha))).isNotEqualTo(sha);

      // The scrub removes the corrupt copy and says so; replication fetches it again from node-a.
      Await.within(SOON).until("node-b's copy is whole again", () -> {
        Path file = blobFile(b, sha);
        return Files.isRegularFile(file) && sha256Of(file).equals(sha);
      });
      // The copier counts the copy on its event loop just after the file lands (seen once under load: 1, not 2).
      Await.within(SOON).until("node-b counts the repair as a copy", () -> status(b).getLong("copies"), n -> n >= copiesBefore + 1);
      assertThat(status(b).getLong("copies")).isEqualTo(copiesBefore + 1);
      assertThat(indexOn(b, sha)).containsExactlyInAnyOrder("node-a", "node-b");
      ApiClient.Reply stream = cluster.admin(b).get("/api/songs/" + song.getString("id") + "/stream");
      assertThat(stream.status()).isEqualTo(200);
      assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(stream.body())))
          .as("node-b streams the repaired bytes").isEqualTo(sha);
    }
  }

  @Test
  void aNodeBelowItsDiskReserveTakesNoReplicasSaysSoAndKeepsStreaming() throws Exception {
    try (RingCluster cluster = new RingCluster(2).set("DSPOT_REPLICATION_FACTOR", "2")) {
      cluster.start(0);
      // node-b keeps a reserve larger than any disk here: it is "full" from the start.
      cluster.set("DSPOT_REPLICATION_MIN_FREE_BYTES", Long.toString(1L << 50));
      TestNode b = cluster.start(1);
      cluster.awaitMembers(2, 20_000);
      ApiClient onA = cluster.admin(cluster.nodes.get(0));
      JsonObject song = onA.uploadSong(TestAudio.wav(tmp.resolve("f.wav"), 300_000, 6));
      String sha = song.getString("sha256");

      Await.within(SOON).until("node-b reports its disk full and the song under its factor", () -> {
        JsonObject r = status(b);
        return r.getJsonObject("disk") != null && r.getJsonObject("disk").getBoolean("full")
            && status(cluster.nodes.get(0)).getInteger("underReplicated") == 1;
      });
      Thread.sleep(3_000); // two more reconcile passes (every 2 s): still nothing may be copied
      assertThat(Files.exists(blobFile(b, sha))).as("a full node takes no replica").isFalse();
      assertThat(status(b).getLong("copies")).isZero();
      assertThat(indexOn(b, sha)).containsExactly("node-a");

      ApiClient onB = cluster.admin(b);
      JsonObject health = onB.get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("DEGRADED");
      assertThat(health.getString("reason")).contains("disk nearly full");
      ApiClient.Reply stream = onB.get("/api/songs/" + song.getString("id") + "/stream");
      assertThat(stream.status()).as("a full node keeps serving (relayed from node-a)").isEqualTo(200);
      assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(stream.body())))
          .isEqualTo(sha);
    }
  }

  /** What a test looks at on one node, in this JVM or another: its blob files and its index. */
  private record Seen(String nodeId, Path dataDir, java.util.concurrent.Callable<String> jdbcUrl) {
    static Seen of(TestNode n) {
      return new Seen(n.nodeId(), n.dataDir(), () -> n.node().jdbcUrl());
    }

    static Seen of(ProcessNode n) {
      return new Seen(n.nodeId(), n.dataDir(), n::jdbcUrl);
    }
  }

  private static List<Seen> running(RingCluster cluster) {
    return cluster.nodes.stream().filter(n -> n != null && n.running()).map(Seen::of).toList();
  }

  /** Waits until exactly {@code expected} hold the blob on disk (with its hash) and every running node's index says the same. */
  private static void awaitHolders(RingCluster cluster, String sha, Set<String> expected) {
    awaitHolders(running(cluster), sha, expected);
  }

  private static void awaitHolders(List<Seen> nodes, String sha, Set<String> expected) {
    Await.within(SOON).until("blob " + sha.substring(0, 8) + " held by exactly " + expected + " on disk and in every index",
        () -> {
          List<Set<String>> indexes = new java.util.ArrayList<>();
          for (Seen n : nodes) {
            indexes.add(indexOn(n.jdbcUrl().call(), sha));
          }
          return "disk=" + holdersOnDisk(nodes, sha) + " indexes=" + indexes;
        },
        seen -> seen.equals("disk=" + new TreeSet<>(expected) + " indexes=" + nodes.stream().map(n -> new TreeSet<>(expected)).toList()));
  }

  private static Set<String> holdersOnDisk(RingCluster cluster, String sha) throws IOException {
    return holdersOnDisk(running(cluster), sha);
  }

  private static Set<String> holdersOnDisk(List<Seen> nodes, String sha) throws IOException {
    Set<String> holders = new TreeSet<>();
    for (Seen n : nodes) {
      Path file = blobFile(n.dataDir(), sha);
      if (Files.isRegularFile(file) && sha256Of(file).equals(sha)) {
        holders.add(n.nodeId());
      }
    }
    return holders;
  }

  private static Path blobFile(TestNode node, String sha) {
    return blobFile(node.dataDir(), sha);
  }

  /** Where a node keeps a blob (also read by the cover test). */
  static Path blobFile(Path dataDir, String sha) {
    return dataDir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
  }

  private static String sha256Of(Path file) throws IOException {
    return Hashes.sha256Of(file);
  }

  private static Set<String> indexOn(TestNode node, String sha) throws Exception {
    return indexOn(node.node().jdbcUrl(), sha);
  }

  private static Set<String> indexOn(String jdbcUrl, String sha) throws Exception {
    return LocationRows.holders(jdbcUrl, sha);
  }

  private static JsonObject status(TestNode node) {
    return node.vertx().eventBus().<JsonObject>request(ReplicationAddresses.STATUS, new JsonObject())
        .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().body();
  }
}
