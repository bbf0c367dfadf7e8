package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.Await;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An album's zip from a node that holds only some of its songs: two clustered nodes, replication
 * paused, two songs uploaded on node 1 and one on node 2; node 2 zips its own song from its disk
 * and relays the two others from node 1, and the archive is the same as anywhere.
 */
class AlbumZipFromAnyNodeTest {

  @TempDir
  Path dir;

  @Test
  void albumZipRelaysTheSongsThisNodeDoesNotHold() throws Exception {
    try (TestCluster cluster = TestCluster.start(2, Map.of("DSPOT_REPLICATION_ENABLED", "false"))) {
      ApiClient first = new ApiClient(cluster.node(0)).asAdmin();
      ApiClient second = new ApiClient(cluster.node(1)).asAdmin();
      byte[][] uploaded = new byte[3][];
      String albumId = null;
      for (int track = 1; track <= 3; track++) {
        Path file = TaggedSongs.wav(dir.resolve("part-" + track + ".wav"),
            new TaggedSongs.Tags("Part " + track, "Relay Band", "Spread Album", track, 2001, "Rock", null), 500 + track);
        uploaded[track - 1] = Files.readAllBytes(file);
        albumId = (track == 2 ? second : first).uploadSong(file).getString("albumId");
      }
      String album = "/api/albums/" + albumId;
      Await.within(Duration.ofSeconds(15)).until("node 2 knows all three songs",
          () -> second.get(album).status() == 200 && second.get(album).json().getJsonArray("songs").size() == 3);
      String path = album + "/download";
      assertThat(cluster.node(1).blobCount()).as("node 2 holds only the song uploaded there").isEqualTo(1);

      Reply r = second.get(path);

      assertThat(r.status()).as(r.status() == 200 ? "" : r.text()).isEqualTo(200);
      assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
      try (ZipFile zip = new ZipFile(Files.write(dir.resolve("spread.zip"), r.body()).toFile())) {
        List<? extends ZipEntry> entries = Collections.list(zip.entries());
        assertThat(entries).extracting(ZipEntry::getName).containsExactly(
            "Relay Band - Spread Album/01 - Part 1.wav", "Relay Band - Spread Album/02 - Part 2.wav", "Relay Band - Spread Album/03 - Part 3.wav");
        for (int i = 0; i < 3; i++) {
          assertThat(zip.getInputStream(entries.get(i)).readAllBytes()).as(entries.get(i).getName()).isEqualTo(uploaded[i]);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(uploaded[i]);
          assertThat(entries.get(i).getCrc()).isEqualTo(crc.getValue());
        }
      }
      assertThat(first.get(path).body()).as("the same archive from the other node").isEqualTo(r.body());
    }
  }
}
