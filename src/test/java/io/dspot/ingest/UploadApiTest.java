package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Uploads through real HTTP into a real node; what is stored is checked on disk and in the catalog. */
class UploadApiTest {

  /** Small enough that tone.wav (88 KB) is over it, large enough for the other fixtures. */
  static final long LIMIT = 80_000;

  private static TestNode node;
  private static ApiClient admin;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    node = TestNode.builder().set("DSPOT_UPLOAD_MAX_FILE_BYTES", Long.toString(LIMIT)).start();
    admin = new ApiClient(node).asAdmin();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void emptyLibrary() {
    for (Object song : admin.get("/api/songs?limit=500").items()) {
      assertThat(admin.delete("/api/songs/" + ((JsonObject) song).getString("id")).status()).isEqualTo(204);
    }
    // Bytes are removed just after the catalog commit, by the storage module.
    Await.within(Duration.ofSeconds(5)).until("no blobs left after deleting every song", node::blobCount, count -> count == 0);
  }

  private long songCount() {
    return admin.get("/api/songs").json().getLong("total");
  }

  @ParameterizedTest
  @CsvSource({
    "tone.mp3, Sine A440, audio/mpeg",
    "tone.flac, Flac C523, audio/flac",
    "tone.ogg, Vorbis D587, audio/ogg",
    "tone.opus, Opus E659, audio/ogg; codecs=opus",
    "tone.m4a, Aac F698, audio/mp4",
  })
  void eachAcceptedFormatIsStoredAndStreamable(String file, String title, String contentType) throws Exception {
    ApiClient.Reply r = admin.upload(ApiClient.fixture(file));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    JsonObject song = r.json().getJsonArray("songs").getJsonObject(0);
    assertThat(song.getString("title")).isEqualTo(title);
    assertThat(song.getString("contentType")).isEqualTo(contentType);
    byte[] original = Files.readAllBytes(ApiClient.fixture(file));
    assertThat(song.getLong("size")).isEqualTo(original.length);
    ApiClient.Reply stream = admin.get("/api/songs/" + song.getString("id") + "/stream");
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.header("content-type")).isEqualTo(contentType);
    assertThat(stream.body()).isEqualTo(original);
  }

  /** The only holder lost the file: as for a song whose holders are all down, try again later (a replica may be copied back). */
  @Test
  void songWhoseBytesVanishedFromDiskAnswers503NotA500() throws Exception {
    JsonObject song = admin.uploadSong(ApiClient.fixture("tone.ogg"));
    String sha = song.getString("sha256");
    Files.delete(node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha));
    ApiClient.Reply r = admin.get("/api/songs/" + song.getString("id") + "/stream", "Range", "bytes=0-99");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isNotNull();
    assertThat(r.json().getString("error")).isEqualTo("song " + song.getString("id") + " (" + song.getString("title")
        + "): no node holding it is reachable");
  }

  /** The report: a blob cut short by a full disk, under the right name, must not make a re-upload a broken duplicate. */
  @Test
  void reuploadOfASongWhoseBlobWasCutShortRepairsIt() throws Exception {
    JsonObject song = admin.uploadSong(ApiClient.fixture("tone.flac"));
    String sha = song.getString("sha256");
    Path blob = node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    try (var file = java.nio.channels.FileChannel.open(blob, java.nio.file.StandardOpenOption.WRITE)) {
      file.truncate(song.getLong("size") / 3);
    }
    assertThat(admin.get("/api/songs/" + song.getString("id") + "/stream").status()).as("stream of the short blob: no good copy anywhere").isEqualTo(503);

    ApiClient.Reply again = admin.upload(ApiClient.fixture("tone.flac"));
    assertThat(again.status()).as(again.text()).isEqualTo(201);
    JsonObject repaired = again.json().getJsonArray("songs").getJsonObject(0);
    assertThat(repaired.getString("id")).isEqualTo(song.getString("id"));
    ApiClient.Reply stream = admin.get("/api/songs/" + song.getString("id") + "/stream");
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.body()).isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.flac")));
    assertThat(songCount()).isEqualTo(1);
    assertThat(node.tempFileCount()).isZero();
  }

  @Test
  void aWriteErrorOtherThanAFullDiskIs500WithItsReasonAndLeavesNothing() throws Exception {
    Path fixture = ApiClient.fixture("tone.ogg");
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(fixture)));
    Path shard = node.dataDir().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4));
    Files.createDirectories(shard.getParent());
    Files.deleteIfExists(shard);
    Files.writeString(shard, "a file where the blob's directory should be");
    try {
      ApiClient.Reply r = admin.upload(fixture);
      assertThat(r.status()).as(r.text()).isEqualTo(500);
      assertThat(r.json().getString("error")).startsWith("could not write tone.ogg to this node's disk: cannot store blob " + sha);
      assertThat(songCount()).isZero();
      assertThat(node.tempFileCount()).isZero();
    } finally {
      Files.delete(shard);
    }
    assertThat(admin.upload(fixture).status()).isEqualTo(201);
  }

  @Test
  void wavWithinTheLimitIsAccepted() throws Exception {
    Path wav = TestAudio.wav(dir.resolve("short.wav"), 20_000, 1);
    ApiClient.Reply r = admin.upload(wav);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    JsonObject song = r.json().getJsonArray("songs").getJsonObject(0);
    assertThat(song.getString("contentType")).isEqualTo("audio/wav");
    assertThat(song.getLong("size")).isEqualTo(Files.size(wav));
    assertThat(song.getBoolean("duplicate")).isFalse();
    assertThat(admin.get("/api/songs/" + song.getString("id") + "/stream").body()).isEqualTo(Files.readAllBytes(wav));
    assertThat(songCount()).isEqualTo(1);
  }

  @Test
  void garbageIsUnsupportedMediaTypeAndNothingIsStored() throws Exception {
    byte[] noise = new byte[30_000];
    new Random(1).nextBytes(noise);
    assertRejected(Files.write(dir.resolve("noise.bin"), noise), 415);
  }

  @Test
  void textRenamedToMp3IsRejected() throws Exception {
    assertRejected(Files.writeString(dir.resolve("lyrics.mp3"), "la la la\n".repeat(1000)), 415);
  }

  @Test
  void pngRenamedToFlacIsRejected() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    assertRejected(Files.write(dir.resolve("cover.flac"), png), 415);
  }

  @ParameterizedTest
  @CsvSource({"tone.mp3", "tone.flac", "tone.ogg", "tone.opus", "tone.m4a"})
  void truncatedFilesAreRejected(String file) throws Exception {
    byte[] whole = Files.readAllBytes(ApiClient.fixture(file));
    int keep = file.endsWith("flac") ? 60 : whole.length / 2;
    assertRejected(Files.write(dir.resolve("cut-" + file), Arrays.copyOf(whole, keep)), 400);
  }

  @Test
  void zeroByteFileIsRejected() throws Exception {
    assertRejected(Files.write(dir.resolve("empty.mp3"), new byte[0]), 400);
  }

  @Test
  void fileOverTheLimitIs413AndNothingIsStored() throws Exception {
    assertRejected(ApiClient.fixture("tone.wav"), 413);
  }

  @Test
  void nonMultipartBodyIs415() {
    ApiClient.Reply r = admin.postRaw("/api/songs", "audio/mpeg", new byte[] {1, 2, 3});
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().getString("error")).contains("multipart");
    assertNothingStored();
  }

  @Test
  void multipartWithoutFilesIs400() {
    ApiClient.Reply r = admin.postRaw("/api/songs", "multipart/form-data; boundary=xyz", "--xyz--\r\n".getBytes());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(new JsonObject().put("error", "no file in the upload"));
    assertNothingStored();
  }

  private void assertNothingStored() {
    assertThat(songCount()).isZero();
    assertThat(node.blobCount()).isZero();
    assertThat(node.tempFileCount()).isZero();
  }

  @Test
  void duplicateUploadIsStoredOnce() throws Exception {
    JsonObject first = admin.uploadSong(ApiClient.fixture("tone.mp3"));
    long blobs = node.blobCount();
    ApiClient.Reply again = admin.upload(ApiClient.fixture("tone.mp3"));
    assertThat(again.status()).isEqualTo(201);
    JsonObject second = again.json().getJsonArray("songs").getJsonObject(0);
    assertThat(second.getString("id")).isEqualTo(first.getString("id"));
    assertThat(second.getBoolean("duplicate")).isTrue();
    assertThat(node.blobCount()).isEqualTo(blobs);
    assertThat(songCount()).isEqualTo(1);
  }

  @Test
  void mixedUploadStoresTheGoodFileAndNamesTheBadOne() throws Exception {
    Path bad = Files.writeString(dir.resolve("notes.ogg"), "not audio".repeat(100));
    ApiClient.Reply r = admin.upload(ApiClient.fixture("tone.flac"), bad);
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().getString("file")).isEqualTo("notes.ogg");
    assertThat(r.json().getString("error")).contains("notes.ogg");
    JsonObject stored = r.json().getJsonArray("songs").getJsonObject(0);
    assertThat(r.json().getJsonArray("songs")).hasSize(1);
    assertThat(stored.getString("title")).isEqualTo("Flac C523");
    assertThat(admin.get("/api/songs/" + stored.getString("id")).json().getString("title")).isEqualTo("Flac C523");
    assertThat(songCount()).isEqualTo(1);
    assertThat(node.blobCount()).isEqualTo(1);
  }

  @Test
  void concurrentUploadsAllLand() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      files.add(TestAudio.wav(dir.resolve("concurrent-" + i + ".wav"), 30_000, 100 + i));
    }
    List<CompletableFuture<JsonObject>> uploads = files.stream()
        .map(f -> CompletableFuture.supplyAsync(() -> new ApiClient(node).withToken(admin.token()).uploadSong(f)))
        .toList();
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<JsonObject> u : uploads) {
      ids.add(u.get().getString("id"));
    }
    assertThat(ids).hasSize(8);
    assertThat(songCount()).isEqualTo(8);
    assertThat(node.blobCount()).isEqualTo(8);
    assertThat(node.tempFileCount()).isZero();
  }

  @Test
  void concurrentIdenticalUploadsMakeOneSong() throws Exception {
    Path same = TestAudio.wav(dir.resolve("same.wav"), 30_000, 7);
    List<CompletableFuture<JsonObject>> uploads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      uploads.add(CompletableFuture.supplyAsync(() -> new ApiClient(node).withToken(admin.token()).uploadSong(same)));
    }
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<JsonObject> u : uploads) {
      ids.add(u.get().getString("id"));
    }
    assertThat(ids).hasSize(1);
    assertThat(songCount()).isEqualTo(1);
    assertThat(node.blobCount()).isEqualTo(1);
  }

  private void assertRejected(Path file, int status) {
    long blobsBefore = node.blobCount();
    long songsBefore = songCount();
    ApiClient.Reply r = admin.upload(file);
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.json().getString("file")).isEqualTo(file.getFileName().toString());
    assertThat(r.json().getString("error")).contains(file.getFileName().toString());
    assertThat(node.blobCount()).isEqualTo(blobsBefore);
    assertThat(songCount()).isEqualTo(songsBefore);
    assertThat(node.tempFileCount()).isZero();
  }

}
