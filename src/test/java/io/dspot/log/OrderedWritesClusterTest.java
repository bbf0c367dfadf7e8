package io.dspot.log;

import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.RingCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real clustered nodes: writes on all of them end in one order, identical everywhere. */
class OrderedWritesClusterTest {

  @TempDir Path dir;

  @Test
  void concurrentWritesOnThreeNodesEndWithIdenticalCatalogsAndSequences() throws Exception {
    try (RingCluster cluster = new RingCluster(3).startAll()) {
      cluster.awaitMembers(3, 20_000);
      List<ApiClient> admins = new ArrayList<>();
      for (TestNode n : cluster.nodes) {
        admins.add(cluster.admin(n));
      }
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int nodeIndex = i;
        ApiClient admin = admins.get(i);
        Path song = TestAudio.wav(dir.resolve("song-" + i + ".wav"), 20_000 + i, i);
        writers.add(CompletableFuture.runAsync(() -> {
          for (int k = 0; k < 5; k++) {
            ApiClient.Reply r = admin.post("/api/users", new JsonObject()
                .put("username", "user-" + nodeIndex + "-" + k).put("password", "password-" + k).put("role", "listener"));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
          }
          JsonObject uploaded = admin.uploadSong(song);
          for (int k = 0; k < 3; k++) {
            ApiClient.Reply r = admin.post("/api/playlists", new JsonObject().put("name", "mix " + nodeIndex + "-" + k)
                .put("songIds", new JsonArray().add(uploaded.getString("id"))));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
          }
        }));
      }
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

      long seq = cluster.awaitConverged(15_000);
      // admin + 3 sessions + 15 users + 3 songs + 9 playlists (+ possibly more sessions from retries)
      assertThat(seq).isGreaterThanOrEqualTo(31);
      // Replication keeps recording copies of the three songs (replica.added) for a moment after
      // the writers are done: the logs agree once those have reached every node too.
      Await.within(Duration.ofSeconds(15)).until("every node has the same digest (sequence, tables, events)",
          () -> {
            java.util.Set<String> digests = new java.util.HashSet<>();
            for (TestNode n : cluster.nodes) {
              digests.add(CatalogDigest.of(n));
            }
            return digests;
          }, digests -> digests.size() == 1);
      for (TestNode n : cluster.nodes) {
        ApiClient admin = new ApiClient(n).withToken(admins.get(0).token());
        assertThat(admin.get("/api/songs").json().getLong("total")).as("songs on " + n.baseUrl()).isEqualTo(3);
        assertThat(admin.get("/api/users?limit=100").json().getLong("total")).isEqualTo(16);
      }
    }
  }


}
