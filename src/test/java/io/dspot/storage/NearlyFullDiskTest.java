package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.SmallDiskNode;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Below its reserve ({@code replication.minFreeBytes}) a node refuses uploads before reading them
 * (and folder imports),
 * says so in {@code /api/health} and {@code storage.status}, and keeps streaming; with space back
 * it takes uploads again. The disk is a real small tmpfs ({@link SmallDiskNode}; root only).
 */
class NearlyFullDiskTest {

  private static final long MB = 1024 * 1024;

  @TempDir Path pgDir;
  @TempDir Path work;

  @Test
  void belowItsReserveTheNodeRefusesUploadsUpFrontSaysSoAndKeepsStreaming() throws Exception {
    try (SmallDiskNode small = SmallDiskNode.start(32, pgDir, b -> b.set("DSPOT_REPLICATION_MIN_FREE_BYTES", Long.toString(8 * MB))
        .set("DSPOT_IMPORT_ROOTS", work.toString()))) {
      TestNode node = small.node();
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.flac"));
      assertThat(admin.get("/api/health").json().getJsonObject("disk").getBoolean("full")).isFalse();

      Path filler = small.disk().fillLeaving(4 * MB);
      // Bigger than what is left: read and written, it would fail on the disk, not on the reserve.
      ApiClient.Reply refused = admin.upload(TestAudio.wav(work.resolve("new.wav"), (int) (6 * MB), 3));
      assertThat(refused.status()).as(refused.text()).isEqualTo(507);
      assertThat(refused.json().getString("error"))
          .matches("not enough disk space on this node to store an upload \\(disk nearly full: [34] MB free, needs 8 MB\\)");
      assertThat(node.tempFileCount()).as("temp files").isZero();

      Path library = Files.createDirectories(work.resolve("library"));
      Files.copy(ApiClient.fixture("tone.mp3"), library.resolve("tone.mp3"));
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", library.toString())).status()).isEqualTo(202);
      JsonObject job = Await.within(Duration.ofSeconds(10)).until("the import no longer running",
          () -> admin.get("/api/admin/import").json(), j -> !"running".equals(j.getString("state")));
      assertThat(job.getInteger("failed")).isEqualTo(1);
      assertThat(job.getJsonArray("errors").getJsonObject(0).getString("error"))
          .startsWith("not enough disk space on this node to store tone.mp3 (disk nearly full: ");

      JsonObject health = admin.get("/api/health").json();
      assertThat(health.getString("status")).isEqualTo("DEGRADED");
      assertThat(health.getString("reason")).matches("disk nearly full: [34] MB free, needs 8 MB");
      assertThat(health.getJsonObject("disk").getBoolean("full")).isTrue();
      assertThat(health.getJsonObject("disk").getLong("minFreeBytes")).isEqualTo(8 * MB);
      JsonObject status = node.vertx().eventBus().<JsonObject>request(StorageAddresses.STATUS, new JsonObject()).await().body();
      assertThat(status.getBoolean("full")).isTrue();
      assertThat(status.getLong("blobs")).as("the song").isEqualTo(1);

      ApiClient.Reply stream = admin.get("/api/songs/" + song.getString("id") + "/stream");
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.body()).isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.flac")));

      Files.delete(filler);
      assertThat(admin.get("/api/health").json().getString("status")).isEqualTo("UP");
      assertThat(admin.upload(work.resolve("new.wav")).status()).isEqualTo(201);
      assertThat(admin.get("/api/songs").json().getLong("total")).as("the first song and the one uploaded with space back").isEqualTo(2);
    }
  }
}
