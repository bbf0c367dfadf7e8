package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.LocationRows;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Album art is replicated like a song: indexed with its upload, copied to its placement, gone with its album. */
class CoverReplicationTest {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static final Set<String> EVERY_NODE = Set.of("node-1", "node-2", "node-3");

  @Test
  void withFactorAllTheCoverReachesEveryNodeAndDeletingItsSongRemovesItsRowsAndFilesEverywhere() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, Map.of("DSPOT_REPLICATION_FACTOR", "all"))) {
      ApiClient admin = new ApiClient(cluster.node(0)).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
      byte[] picture = admin.get("/api/albums/" + song.getString("albumId") + "/cover").body();
      String cover = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(picture));
      String audio = song.getString("sha256");

      for (String sha : List.of(cover, audio)) {
        Await.within(SOON).until("blob " + sha.substring(0, 8) + " on every disk and in every index",
            () -> seen(cluster.nodes(), sha), seen -> seen.equals(everywhere(cluster.nodes(), EVERY_NODE)));
      }
      assertThat(Hashes.sha256Of(blobFile(cluster.node(2), cover))).isEqualTo(cover);
      // The cluster view counts blobs, not songs: the song and its cover.
      Await.within(Duration.ofSeconds(15)).until("every member of /api/cluster reports 2 blobs and none under its factor",
          () -> admin.get("/api/cluster").json(), view -> view.getJsonArray("members").stream()
              .map(m -> ((JsonObject) m).getJsonObject("replication"))
              .allMatch(r -> r != null && r.getInteger("blobs") == 2 && r.getInteger("underReplicated") == 0));

      assertThat(admin.delete("/api/songs/" + song.getString("id")).status()).isEqualTo(204);
      for (String sha : List.of(cover, audio)) {
        Await.within(SOON).until("blob " + sha.substring(0, 8) + " gone from every disk and every index",
            () -> seen(cluster.nodes(), sha), seen -> seen.equals(everywhere(cluster.nodes(), Set.of())));
      }
      for (TestNode node : cluster.nodes()) {
        assertThat(node.blobCount()).as("blobs left on " + node.nodeId()).isZero();
      }
    }
  }

  /** Per node: who its index lists for the blob, and whether the file is on its disk. */
  private static String seen(List<TestNode> nodes, String sha) throws Exception {
    StringBuilder out = new StringBuilder();
    for (TestNode node : nodes) {
      out.append(node.nodeId()).append(" index=").append(indexOn(node, sha))
          .append(" file=").append(Files.isRegularFile(blobFile(node, sha))).append("; ");
    }
    return out.toString();
  }

  private static String everywhere(List<TestNode> nodes, Set<String> holders) {
    StringBuilder out = new StringBuilder();
    for (TestNode node : nodes) {
      out.append(node.nodeId()).append(" index=").append(new TreeSet<>(holders))
          .append(" file=").append(holders.contains(node.nodeId())).append("; ");
    }
    return out.toString();
  }

  private static Path blobFile(TestNode node, String sha) {
    return ReplicationClusterTest.blobFile(node.dataDir(), sha);
  }

  private static Set<String> indexOn(TestNode node, String sha) throws Exception {
    return LocationRows.holders(node.node().jdbcUrl(), sha);
  }
}
