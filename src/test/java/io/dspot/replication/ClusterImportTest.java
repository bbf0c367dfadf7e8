package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.RingCluster;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder imported into a 3-node cluster with the quorum acknowledgement: each song counted as
 * imported is held by a majority, every node ends up holding and listing every song, and the copies
 * are recorded many to a log record.
 */
class ClusterImportTest {

  private static final int SONGS = 40;

  @TempDir Path library;

  @Test
  void everyNodeHoldsEveryImportedSongAndTheCopiesAreRecordedInAFewLogRecordsNotOnePerCopy() throws Exception {
    for (int i = 0; i < SONGS; i++) {
      TaggedSongs.mp3(library.resolve(String.format("%02d.mp3", i)),
          new TaggedSongs.Tags("Song " + i, "Cluster Artist " + i % 3, "Album " + i / 10, i % 10 + 1, 2003, "Pop", null));
    }
    try (RingCluster cluster = new RingCluster(3).set("DSPOT_IMPORT_ROOTS", library.toString()).set("DSPOT_REPLICATION_ACK", "quorum")) {
      cluster.startAll();
      cluster.awaitMembers(3, 30_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      ApiClient.Reply started = admin.post("/api/admin/import", new JsonObject().put("path", library.toString()));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      JsonObject job = Await.within(Duration.ofSeconds(90)).until("the import no longer running", () -> admin.get("/api/admin/import").json(),
          j -> !"running".equals(j.getString("state")));
      assertThat(job.getInteger("imported")).as(job.encode()).isEqualTo(SONGS);
      // What the quorum acknowledgement promises: a song counted as imported is held by a majority of its placement.
      assertThat(count(cluster.nodes.get(0), "SELECT count(*) FROM (SELECT s.sha256 FROM songs s JOIN song_locations l ON l.sha256 = s.sha256 "
          + "GROUP BY s.sha256 HAVING count(*) >= 2) t")).as("songs held by 2 nodes or more when the import finished").isEqualTo(SONGS);

      // Factor 3 by default: the two other nodes each copy every song, and every index lists all three.
      Await.within(Duration.ofSeconds(60)).until("every node's index lists 3 holders of each of the " + SONGS + " songs",
          () -> cluster.nodes.stream().map(ClusterImportTest::songsHeldByThree).toList(),
          counts -> counts.stream().allMatch(c -> c == SONGS));
      // The songs and the cover art they share (TaggedSongs paints one).
      long uploaderBlobs = cluster.nodes.get(0).blobCount();
      assertThat(uploaderBlobs).isGreaterThanOrEqualTo(SONGS);
      for (TestNode node : cluster.nodes) {
        assertThat(node.blobCount()).as("blobs on " + node.nodeId() + "'s disk").isEqualTo(uploaderBlobs);
      }
      Map<String, Long> records = recordsByType(cluster.nodes.get(0));
      assertThat(records.getOrDefault(ReplicationAddresses.REPLICA_ADDED, 0L)).as("one record per copy: " + records).isZero();
      // Two nodes copy every blob: the copies of one pass, and those made while a record is on its way, go in one record.
      long copies = 2 * uploaderBlobs;
      assertThat(records.getOrDefault(ReplicationAddresses.REPLICAS_ADDED, 0L)).as(records + " for " + copies + " copies")
          .isBetween(2L, copies / 2);
    }
  }

  private static long songsHeldByThree(TestNode node) {
    return count(node, "SELECT count(*) FROM (SELECT s.sha256 FROM songs s JOIN song_locations l ON l.sha256 = s.sha256 "
        + "GROUP BY s.sha256 HAVING count(*) = 3) t");
  }

  private static long count(TestNode node, String sql) {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Long> recordsByType(TestNode node) throws Exception {
    Map<String, Long> byType = new HashMap<>();
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT event_type, count(*) FROM outbox GROUP BY event_type")) {
      while (rs.next()) {
        byType.put(rs.getString(1), rs.getLong(2));
      }
    }
    return byType;
  }
}
