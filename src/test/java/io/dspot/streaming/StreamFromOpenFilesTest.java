package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeking streams many small ranges of one song from a blob each event loop keeps open for a
 * little while ({@link OpenBlobs}); what an operator sees of that: a handful of descriptors while
 * someone listens, none once nobody has for a while, and none at once on a song that was deleted
 * (it stops streaming, and its disk space is really freed). The node runs in this JVM, so its
 * descriptors are this process's {@code /proc/self/fd}.
 */
class StreamFromOpenFilesTest {

  private static final int SIZE = 1_000_000;
  private static final int RANGE = 64 * 1024;

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient api;

  @BeforeAll
  static void startPlainHttpNode() {
    // Plain HTTP (behind a TLS-terminating proxy): the zero-copy path the range benchmark measures.
    node = TestNode.builder().set("DSPOT_HTTP_TLS_ENABLED", "false").start();
    api = new ApiClient(node).asAdmin();
  }

  @AfterAll
  static void closeNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void manyRangesOfASongKeepAtMostOneDescriptorPerEventLoopAndCloseItWhenIdle() throws Exception {
    JsonObject song = uploadAndSeek("seeks.wav", 1301L, 200);
    Path blob = blobOf(song);

    long open = descriptorsOn(blob);
    assertThat(open).as("descriptors on the blob right after 200 ranges").isBetween(1L, (long) Runtime.getRuntime().availableProcessors());
    Await.within(Duration.ofMillis(OpenBlobs.IDLE_MILLIS * 2 + 5_000)).until("the idle blob closed", () -> descriptorsOn(blob) == 0);
  }

  @Test
  void aDeletedSongStopsStreamingAndNoDescriptorKeepsItsFile() throws Exception {
    JsonObject song = uploadAndSeek("doomed.wav", 1302L, 50);
    Path blob = blobOf(song);
    assertThat(descriptorsOn(blob)).as("descriptors while it streams").isPositive();

    assertThat(api.delete("/api/songs/" + song.getString("id")).status()).isEqualTo(204);

    ApiClient.Reply after = api.get(streamPath(song), "Range", "bytes=0-65535");
    assertThat(after.status()).as("stream of the deleted song: %s", after.text()).isEqualTo(404);
    Await.within(Duration.ofSeconds(5)).until("the blob removed from disk", () -> !Files.exists(blob));
    // Well inside the idle time: only closing on the deletion itself passes this.
    assertThat(descriptorsOn(blob)).as("descriptors still on the deleted blob").isZero();
  }

  /** Uploads a song and streams {@code count} random 64 KiB ranges of it, each checked byte for byte. */
  private static JsonObject uploadAndSeek(String name, long seed, int count) throws IOException {
    byte[] content = TestAudio.wav(SIZE, seed);
    JsonObject song = api.uploadSong(Files.write(dir.resolve(name), content));
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      int first = random.nextInt(SIZE - RANGE);
      int last = first + RANGE - 1;
      ApiClient.Reply reply = api.get(streamPath(song), "Range", "bytes=" + first + "-" + last);
      assertThat(reply.status()).isEqualTo(206);
      assertThat(reply.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
      assertThat(reply.body()).as("bytes %d-%d", first, last).isEqualTo(Arrays.copyOfRange(content, first, last + 1));
    }
    return song;
  }

  private static String streamPath(JsonObject song) {
    return "/api/songs/" + song.getString("id") + "/stream";
  }

  private static Path blobOf(JsonObject song) {
    String sha = song.getString("sha256");
    return node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha)
        .toAbsolutePath().normalize();
  }

  /** This process's descriptors open on {@code file}, also once it was deleted (the link then ends in " (deleted)"). */
  private static long descriptorsOn(Path file) throws IOException {
    String target = file.toString();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          return "";
        }
      }).filter(link -> link.equals(target) || link.equals(target + " (deleted)")).count();
    }
  }
}
