package io.dspot.log;

import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.RingCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CatchUpTest {

  @Test
  void nodeThatWasDownAndBrandNewNodeCatchUpOnAThousandChanges() throws Exception {
    try (RingCluster cluster = new RingCluster(3, 4)) {
      for (int i = 0; i < 3; i++) {
        cluster.start(i);
      }
      cluster.awaitMembers(3, 20_000);
      ApiClient admin = cluster.admin(cluster.nodes.get(0));
      cluster.awaitConverged(10_000);

      TestNode down = cluster.nodes.get(2);
      down.stop();
      cluster.awaitMembers(2, 10_000);

      // 4 writers x 250 changes: each a playlist rename, one ordered event each.
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String playlist = admin.post("/api/playlists", new JsonObject().put("name", "p" + w)).json().getString("id");
        int writer = w;
        writers.add(CompletableFuture.runAsync(() -> {
          ApiClient client = new ApiClient(cluster.nodes.get(writer % 2)).withToken(admin.token());
          for (int k = 0; k < 250; k++) {
            ApiClient.Reply r = client.put("/api/playlists/" + playlist, new JsonObject().put("name", "p" + writer + " v" + k));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
          }
        }));
      }
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
      long written = cluster.awaitConverged(20_000);

      long restart = System.currentTimeMillis();
      down.startAgain();
      assertThat(cluster.awaitConverged(30_000)).isEqualTo(written);
      System.out.printf("restarted node caught up %d events in %d ms%n", written, System.currentTimeMillis() - restart);

      long join = System.currentTimeMillis();
      TestNode fresh = cluster.start(3);
      assertThat(cluster.awaitConverged(30_000)).isEqualTo(written);
      System.out.printf("new empty node caught up %d events in %d ms%n", written, System.currentTimeMillis() - join);

      String digest = CatalogDigest.of(cluster.nodes.get(0));
      for (TestNode n : cluster.nodes) {
        assertThat(CatalogDigest.of(n)).isEqualTo(digest);
      }
      ApiClient onFresh = new ApiClient(fresh).withToken(admin.token());
      assertThat(onFresh.get("/api/auth/me").status()).as("sessions replicate too").isEqualTo(200);
      assertThat(onFresh.get("/api/playlists").json().getLong("total")).isEqualTo(4);
    }
  }
}
