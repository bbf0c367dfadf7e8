package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder imported again: files unchanged since (path, size, modification time) are not read at all. */
class FolderReimportTest {

  private static final int SONGS = 12;

  @TempDir Path library;

  @Test
  void reimportOfAnUnchangedFolderImportsNothingAndWritesNoLogRecord() throws Exception {
    for (int i = 0; i < SONGS; i++) {
      Path album = Files.createDirectories(library.resolve("Album " + i / 4));
      TaggedSongs.mp3(album.resolve(String.format("%02d.mp3", i)), tags(i, "Song " + i));
    }
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject first = importAndWait(admin);
      assertThat(first.getInteger("imported")).as(first.encode()).isEqualTo(SONGS);
      assertThat(first.getInteger("done")).isEqualTo(SONGS);
      // The rate metrics and the web player read: files per second over the import, nothing left to wait for.
      assertThat(first.getDouble("filesPerSecond")).isPositive();
      assertThat(first.getLong("etaSeconds")).isZero();
      assertThat(first.getLong("elapsedMs")).isPositive();
      long records = CatalogDigest.lastSeq(node);
      // One record per batch, not one per song (the admin's login wrote one too).
      assertThat(records).isLessThan(SONGS);
      String catalog = CatalogDigest.of(node);

      JsonObject again = importAndWait(admin);
      assertThat(again.getInteger("found")).isEqualTo(SONGS);
      assertThat(again.getInteger("unchanged")).as(again.encode()).isEqualTo(SONGS);
      assertThat(again.getInteger("imported")).isZero();
      assertThat(again.getInteger("duplicates")).isZero();
      assertThat(again.getInteger("failed")).isZero();
      assertThat(again.getInteger("done")).isEqualTo(SONGS);
      assertThat(CatalogDigest.lastSeq(node)).as("log records after the re-import").isEqualTo(records);
      assertThat(CatalogDigest.of(node)).isEqualTo(catalog);
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(SONGS);
      assertThat(node.tempFileCount()).isZero();

      // A retagged file (new bytes, size and time) and a new one are read; the rest still is not.
      Path retagged = library.resolve("Album 0/00.mp3");
      TaggedSongs.mp3(retagged, tags(0, "Song 0 (remastered)"));
      Files.setLastModifiedTime(retagged, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      TaggedSongs.mp3(library.resolve("Album 0/new.mp3"), tags(SONGS, "Song new"));
      JsonObject third = importAndWait(admin);
      assertThat(third.getInteger("found")).isEqualTo(SONGS + 1);
      assertThat(third.getInteger("imported")).as(third.encode()).isEqualTo(2);
      assertThat(third.getInteger("unchanged")).isEqualTo(SONGS - 1);
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(SONGS + 2);
    }
  }

  private static TaggedSongs.Tags tags(int i, String title) {
    return new TaggedSongs.Tags(title, "Reimport Artist", "Album " + i / 4, i % 4 + 1, 2001, "Rock", null);
  }

  private JsonObject importAndWait(ApiClient admin) {
    ApiClient.Reply started = admin.post("/api/admin/import", new JsonObject().put("path", library.toString()));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    return Await.within(Duration.ofSeconds(60)).until("the import no longer running", () -> admin.get("/api/admin/import").json(),
        job -> !"running".equals(job.getString("state")));
  }
}
