package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      ApiClient.Reply started = admin.post("/api/admin/import", new JsonObject().put("path", library.toString()));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      assertThat(started.json().getInteger("found")).isEqualTo(5);

      JsonObject job = awaitFinished(admin);
      assertThat(job.getInteger("imported")).isEqualTo(3);
      assertThat(job.getInteger("duplicates")).isEqualTo(1);
      assertThat(job.getInteger("failed")).isEqualTo(1);
      // Named relative to the import root: the answer does not map the server's disk.
      assertThat(job.getJsonArray("errors").getJsonObject(0).getString("file")).isEqualTo("broken.mp3");
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(3);
      assertThat(node.tempFileCount()).isZero();
    }
  }

  @Test
  void importOfAMissingFolderIs400() {
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      ApiClient.Reply r = admin.post("/api/admin/import", new JsonObject().put("path", library.resolve("nope").toString()));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().getString("error")).startsWith("not a readable directory: nope (in import root ");
      assertThat(admin.post("/api/admin/import", new JsonObject()).status()).isEqualTo(400);
    }
  }

  /** The attack: an admin session (stolen, or a careless admin) reading any path the server can. */
  @Test
  void importOutsideTheRootsRelativeOrThroughASymlinkIs403(@TempDir Path outside) throws Exception {
    Files.copy(ApiClient.fixture("tone.mp3"), outside.resolve("secret.mp3"));
    Path root = Files.createDirectories(library.resolve("root"));
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("leak.mp3"), outside.resolve("secret.mp3"));
    Files.copy(ApiClient.fixture("tone.flac"), root.resolve("inside.flac"));
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", root.toString()).start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      for (String path : new String[] {outside.toString(), "/", "/etc", root.resolve("..").toString(), root.resolve("escape").toString(),
          "relative/music", "."}) {
        ApiClient.Reply r = admin.post("/api/admin/import", new JsonObject().put("path", path));
        assertThat(r.status()).as("import of %s: %s", path, r.text()).isEqualTo(403);
        assertThat(r.json().getString("error")).contains("import").doesNotContain(System.getProperty("user.dir"));
      }
      // Inside the root, a link to a file outside is refused by name; the rest is imported.
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", root.toString())).status()).isEqualTo(202);
      JsonObject job = awaitFinished(admin);
      assertThat(job.getInteger("imported")).isEqualTo(1);
      assertThat(job.getJsonArray("errors").getJsonObject(0))
          .isEqualTo(new JsonObject().put("file", "leak.mp3").put("error", "a symbolic link to a file outside the import root: refused"));
      assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(1);
    }
  }

  @Test
  void theDefaultRootIsTheDataDirectorysImportFolder() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      Path root = node.dataDir().resolve("import");
      assertThat(Files.isDirectory(root)).as("created at start").isTrue();
      Files.copy(ApiClient.fixture("tone.opus"), root.resolve("tone.opus"));
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", root.toString())).status()).isEqualTo(202);
      assertThat(awaitFinished(admin).getInteger("imported")).isEqualTo(1);
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", library.toString())).status()).isEqualTo(403);
    }
  }

  /**
   * Durability order: a folder import forces its blobs' names to disk once per batch, and sends
   * the batch to the catalog only after that, so a crash between the two leaves blobs without
   * songs, never a song without its blob.
   */
  @Test
  void aBatchReachesTheCatalogOnlyOnceItsBlobsAreDurable() throws Exception {
    Files.copy(ApiClient.fixture("tone.mp3"), library.resolve("a.mp3"));
    Files.copy(ApiClient.fixture("tone.flac"), library.resolve("b.flac"));
    Files.copy(ApiClient.fixture("tone.opus"), library.resolve("c.opus"));
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      List<String> sent = new CopyOnWriteArrayList<>();
      List<String> sentUnforced = new CopyOnWriteArrayList<>();
      node.vertx().eventBus().addOutboundInterceptor(delivery -> {
        if (CatalogAddresses.SONGS_ADD.equals(delivery.message().address())) {
          for (Object song : ((JsonObject) delivery.body()).getJsonArray("songs")) {
            String sha = ((JsonObject) song).getString("sha256");
            sent.add(sha);
            if (node.node().blobs().isUnforced(sha)) {
              sentUnforced.add(sha);
            }
          }
        }
        delivery.next();
      });
      ApiClient admin = new ApiClient(node).asAdmin();
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", library.toString())).status()).isEqualTo(202);
      assertThat(awaitFinished(admin).getInteger("imported")).isEqualTo(3);
      assertThat(sent).hasSize(3);
      assertThat(sentUnforced).as("songs sent to the catalog while a crash could still take their blob").isEmpty();
    }
  }

  private static JsonObject awaitFinished(ApiClient admin) {
    return Await.within(Duration.ofSeconds(30)).until("the import no longer running", () -> admin.get("/api/admin/import").json(),
        job -> !"running".equals(job.getString("state")));
  }
}
