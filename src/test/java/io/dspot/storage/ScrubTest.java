package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.CapturedLog;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The background scrub of a real node finds a blob whose bytes changed on disk, removes it, says so and announces it lost. */
class ScrubTest {

  @Test
  void aFlippedByteIsFoundRemovedLoggedAnnouncedAndCounted() throws Exception {
    try (CapturedLog warnings = CapturedLog.of(BlobStore.class); TestNode node = TestNode.builder().set("DSPOT_REPLICATION_SCRUB_BYTES_PER_SECOND", Long.toString(20L * 1024 * 1024))
        .set("DSPOT_REPLICATION_SCRUB_REST_SECONDS", "1").start()) {
      JsonObject song = new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.flac"));
      String sha = song.getString("sha256");
      List<String> lost = new CopyOnWriteArrayList<>();
      node.vertx().eventBus().<JsonObject>localConsumer(StorageAddresses.BLOB_LOST, m -> lost.add(m.body().getString(StorageAddresses.BLOB)))
          .completion().await();
      Await.within(Duration.ofSeconds(10)).until("a scrub pass over the good blob", () -> status(node).getJsonObject("scrub").getLong("passes") >= 1);
      assertThat(status(node).getJsonObject("scrub").getLong("corruptFound")).as("corrupt blobs before the flip").isZero();

      Path blob = node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
      flipOneByte(blob, song.getLong("size") / 2);

      Await.within(Duration.ofSeconds(15)).until("the scrub announcing " + sha + " lost", () -> lost.contains(sha));
      assertThat(Files.exists(blob)).as("corrupt blob left on disk").isFalse();
      JsonObject status = status(node);
      assertThat(status.getJsonObject("scrub").getLong("corruptFound")).isEqualTo(1);
      assertThat(status.getJsonObject("scrub").getLong("bytesPerSecond")).isEqualTo(20L * 1024 * 1024);
      assertThat(status.getLong("blobs")).as("blobs held after the removal").isZero();
      assertThat(warnings.events()).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains(sha).contains("the scrub hashed").contains("removed");
      });
    }
  }

  private static JsonObject status(TestNode node) {
    return node.vertx().eventBus().<JsonObject>request(StorageAddresses.STATUS, new JsonObject()).await().body();
  }

  private static void flipOneByte(Path file, long at) throws java.io.IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
      channel.write(one, at);
    }
  }
}
