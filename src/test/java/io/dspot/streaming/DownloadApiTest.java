package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloading a song's original file and an album as a zip, over HTTP on a real node. */
class DownloadApiTest {

  private static final String ARTIST = "AC\\DC \"Live\"";
  private static final String ALBUM = "../Zip/Album";
  private static final String HOSTILE_TITLE = "../../etc/passwd\"; x=y ü%20";

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient admin;
  /** Uploaded bytes by song id, in track order. */
  private static final Map<String, byte[]> uploads = new LinkedHashMap<>();
  private static String albumId;

  @BeforeAll
  static void startNodeWithAnAlbum() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    String[] titles = {HOSTILE_TITLE, "Second", "Second"};
    for (int i = 0; i < titles.length; i++) {
      Path file = TaggedSongs.wav(dir.resolve("s" + i + ".wav"), new TaggedSongs.Tags(titles[i], ARTIST, ALBUM, i + 1, 1997, "Rock", null), 100 + i);
      JsonObject song = admin.uploadSong(file);
      uploads.put(song.getString("id"), Files.readAllBytes(file));
      albumId = song.getString("albumId");
    }
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void songDownloadIsTheUploadedFileWithASafeName() {
    String id = uploads.keySet().iterator().next();

    Reply r = admin.get("/api/songs/" + id + "/download");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(uploads.get(id));
    String disposition = r.header("Content-Disposition");
    assertThat(disposition).startsWith("attachment; filename=\"").doesNotContain("\r", "\n", "/", "\\");
    assertThat(disposition.substring(22, disposition.indexOf("\"; filename*="))).doesNotContain("\"").endsWith(".wav");
    String star = disposition.substring(disposition.indexOf("UTF-8''") + 7);
    assertThat(URLDecoder.decode(star.replace("+", "%2B"), StandardCharsets.UTF_8))
        .isEqualTo("AC_DC _Live_ - _.._etc_passwd_; x=y ü%20.wav");
  }

  @Test
  void albumDownloadIsAZipOfItsSongsInTrackOrder() throws Exception {
    Reply r = admin.get("/api/albums/" + albumId + "/download");

    assertThat(r.status()).as(r.status() == 200 ? "" : r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/zip");
    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
    assertThat(r.header("Content-Disposition")).startsWith("attachment; filename=\"AC_DC _Live_ - .._Zip_Album.zip\"");
    Path zipFile = Files.write(dir.resolve("album.zip"), r.body());
    try (ZipFile zip = new ZipFile(zipFile.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      assertThat(entries).extracting(ZipEntry::getName).containsExactly(
          "AC_DC _Live_ - .._Zip_Album/01 - _.._etc_passwd_; x=y ü%20.wav",
          "AC_DC _Live_ - .._Zip_Album/02 - Second.wav",
          "AC_DC _Live_ - .._Zip_Album/03 - Second.wav");
      List<byte[]> expected = new ArrayList<>(uploads.values());
      for (int i = 0; i < entries.size(); i++) {
        ZipEntry entry = entries.get(i);
        assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
        assertThat(zip.getInputStream(entry).readAllBytes()).isEqualTo(expected.get(i));
        CRC32 crc = new CRC32();
        crc.update(expected.get(i));
        assertThat(entry.getCrc()).as("CRC-32 of %s", entry.getName()).isEqualTo(crc.getValue());
      }
    }
  }

  @Test
  void sameNamedSongsGetDistinctEntries() throws Exception {
    Reply r = admin.get("/api/albums/" + albumId + "/download");
    // Both songs titled "Second" differ by track number; entry names never collide.
    try (ZipFile zip = new ZipFile(Files.write(dir.resolve("again.zip"), r.body()).toFile())) {
      assertThat(Collections.list(zip.entries()).stream().map(ZipEntry::getName).distinct().count()).isEqualTo(3);
    }
  }

  @Test
  void unknownIdsAre404AndMalformedOnes400() {
    assertThat(admin.get("/api/songs/" + UUID.randomUUID() + "/download").status()).isEqualTo(404);
    assertThat(admin.get("/api/albums/" + UUID.randomUUID() + "/download").status()).isEqualTo(404);
    Reply malformed = admin.get("/api/albums/not-an-id/download");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().getString("error")).contains("malformed album id");
    assertThat(admin.get("/api/songs/42/download").status()).isEqualTo(400);
  }

  @Test
  void downloadsNeedASession() {
    assertThat(new ApiClient(node).get("/api/albums/" + albumId + "/download").status()).isEqualTo(401);
    assertThat(new ApiClient(node).get("/api/songs/" + uploads.keySet().iterator().next() + "/download").status()).isEqualTo(401);
  }
}
