package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.SmallDiskNode;
import io.dspot.testkit.TestNode;
import io.dspot.testkit.Tmpfs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that runs out of disk mid-way (a real full file system: a small tmpfs, see
 * {@link SmallDiskNode}; root only) is refused and leaves nothing behind; once there is space the
 * same file goes in whole. No reserve ({@code minFreeBytes} 0): the write itself must fail.
 */
class DiskFullUploadTest {

  private static final int SONG_BYTES = 6 * 1024 * 1024;

  @TempDir Path pgDir;
  @TempDir Path work;

  @Test
  void uploadBiggerThanTheFreeSpaceIs507LeavesNothingAndGoesInOnceThereIsSpace() throws Exception {
    Path song = bigMp3(work.resolve("big.mp3"));
    try (SmallDiskNode small = SmallDiskNode.start(16, pgDir, b -> b.set("DSPOT_REPLICATION_MIN_FREE_BYTES", "0"))) {
      TestNode node = small.node();
      Tmpfs disk = small.disk();
      ApiClient admin = new ApiClient(node).asAdmin();
      Path filler = disk.fillLeaving(2 * 1024 * 1024);

      // With no declared length the body is written until the disk says no.
      ApiClient.Reply refused = admin.uploadStreamed(song);
      assertThat(refused.status()).as(refused.text()).isEqualTo(507);
      assertThat(refused.json().getString("error")).isEqualTo("not enough disk space on this node to store big.mp3");
      assertNothingStored(admin, node);
      // A declared length that cannot fit is refused before the body is read.
      ApiClient.Reply declared = admin.upload(song);
      assertThat(declared.status()).as(declared.text()).isEqualTo(507);
      assertThat(declared.json().getString("error")).matches("not enough disk space on this node to store an upload of 6 MB \\([12] MB free, 0 MB kept in reserve\\)");
      assertNothingStored(admin, node);

      Files.delete(filler);
      ApiClient.Reply stored = admin.uploadStreamed(song);
      assertThat(stored.status()).as(stored.text()).isEqualTo(201);
      JsonObject added = stored.json().getJsonArray("songs").getJsonObject(0);
      assertThat(added.getBoolean("duplicate")).isFalse();
      ApiClient.Reply streamed = admin.get("/api/songs/" + added.getString("id") + "/stream");
      assertThat(streamed.status()).isEqualTo(200);
      assertThat(streamed.body()).isEqualTo(Files.readAllBytes(song));
    }
  }

  private static void assertNothingStored(ApiClient admin, TestNode node) {
    assertThat(admin.get("/api/songs").json().getLong("total")).as("songs in the catalog").isZero();
    assertThat(node.tempFileCount()).as("temp files left").isZero();
    assertThat(node.blobCount()).as("blobs stored").isZero();
  }

  /**
   * The case from the report: an MP3 without tags (so no cover art is stored beside it) has no
   * declared length either, so nothing but the blob store can notice it was cut short.
   */
  private static Path bigMp3(Path target) throws java.io.IOException {
    byte[] tagged = Files.readAllBytes(ApiClient.fixture("tone.mp3"));
    int tagEnd = tagged[0] == 'I' && tagged[1] == 'D' && tagged[2] == '3'
        ? 10 + ((tagged[6] & 0x7f) << 21 | (tagged[7] & 0x7f) << 14 | (tagged[8] & 0x7f) << 7 | (tagged[9] & 0x7f)) : 0;
    byte[] tone = java.util.Arrays.copyOfRange(tagged, tagEnd, tagged.length);
    try (var out = Files.newOutputStream(target)) {
      for (int written = 0; written < SONG_BYTES; written += tone.length) {
        out.write(tone);
      }
    }
    return target;
  }
}
