package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderImportTest {

  @TempDir Path library;

  @Test
  void adminImportsAFolderTreeAndSeesProgress() throws Exception {
    Files.createDirectories(library.resolve("Fixture Band/Fixture Album"));
    Files.copy(ApiClient.fixture("tone.mp3"), library.resolve("Fixture Band/Fixture Album/03 Sine.mp3"));
    Files.copy(ApiClient.fixture("tone.flac"), library.resolve("Fixture Band/flac.flac"));
    Files.copy(ApiClient.fixture("tone.opus"), library.resolve("opus.opus"));
    Files.copy(ApiClient.fixture("tone.mp3"), library.resolve("same-bytes-again.mp3"));
    Files.writeString(library.resolve("broken.mp3"), "not an mp3");
    Files.writeString(library.resolve("cover.txt"), "ignored: not an audio extension");

    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      ApiClient.Reply started = admin.post("/api/admin/import", new JsonObject().put("path", library.toString()));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      assertThat(started.json().getInteger("found")).isEqualTo(5);

      JsonObject job = awaitFinished(admin);
      assertThat(job.getInteger("imported")).isEqualTo(3);
      assertThat(job.getInteger("duplicates")).isEqualTo(1);
      assertThat(job.getInteger("failed")).isEqualTo(1);
      assertThat(job.getJsonArray("errors").getJsonObject(0).getString("file")).endsWith("broken.mp3");
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(3);
      assertThat(node.tempFileCount()).isZero();
    }
  }

  @Test
  void importOfAMissingFolderIs400() {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      ApiClient.Reply r = admin.post("/api/admin/import", new JsonObject().put("path", library.resolve("nope").toString()));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().getString("error")).contains("not a readable directory");
      assertThat(admin.post("/api/admin/import", new JsonObject()).status()).isEqualTo(400);
    }
  }

  private static JsonObject awaitFinished(ApiClient admin) {
    return Await.within(Duration.ofSeconds(30)).until("the import no longer running", () -> admin.get("/api/admin/import").json(),
        job -> !"running".equals(job.getString("state")));
  }
}
