package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stars, ratings and plays are ordered events: what a listener does on one node, every node shows. */
class UserLibraryClusterTest {

  private static final Await CLUSTER = Await.within(Duration.ofSeconds(60));

  @Test
  void aStarARatingAndAPlayMadeOnOneNodeAreSeenOnTheOtherAndTheOtherWay() {
    try (TestCluster cluster = TestCluster.start(2, Map.of("DSPOT_REPLICATION_ENABLED", "false"))) {
      TestNode one = cluster.node(0);
      TestNode two = cluster.node(1);
      ApiClient admin = new ApiClient(one).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
      String songId = song.getString("id");
      String albumId = song.getString("albumId");
      assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password")).status()).isEqualTo(201);
      ApiClient onOne = CLUSTER.success("lena logs in on node 1", () -> new ApiClient(one).login("lena", "lena-password"));
      ApiClient onTwo = new ApiClient(two).withToken(onOne.token());

      assertThat(onOne.put("/api/favourites/songs/" + songId, new JsonObject()).status()).isEqualTo(200);
      assertThat(onOne.put("/api/favourites/albums/" + albumId, new JsonObject()).status()).isEqualTo(200);
      assertThat(onOne.put("/api/ratings/" + songId, new JsonObject().put("rating", 4)).status()).isEqualTo(200);
      assertThat(onOne.post("/api/plays", new JsonObject().put("songId", songId)).status()).isEqualTo(201);

      CLUSTER.until("node 2 shows the star, the rating and the play", () -> {
        ApiClient.Reply seen = onTwo.get("/api/songs/" + songId);
        return seen.status() == 200 && seen.json().getBoolean("starred", false) && seen.json().getInteger("rating", 0) == 4
            && seen.json().getLong("playCount", 0L) == 1;
      });
      JsonObject favourites = onTwo.get("/api/favourites").json();
      assertThat(favourites.getJsonObject("albums").getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(albumId);
      assertThat(onTwo.get("/api/history").items().getJsonObject(0).getJsonObject("song").getString("id")).isEqualTo(songId);
      assertThat(onTwo.get("/api/home").json().getJsonArray("recentlyPlayed").getJsonObject(0).getString("id")).isEqualTo(albumId);

      assertThat(onTwo.delete("/api/favourites/songs/" + songId).status()).isEqualTo(204);
      assertThat(onTwo.delete("/api/ratings/" + songId).status()).isEqualTo(204);
      assertThat(onTwo.post("/api/plays", new JsonObject().put("songId", songId)).status()).isEqualTo(201);

      CLUSTER.until("node 1 shows the unstar, the cleared rating and the second play", () -> {
        JsonObject seen = onOne.get("/api/songs/" + songId).json();
        return !seen.getBoolean("starred") && seen.getInteger("rating") == 0 && seen.getLong("playCount") == 2;
      });
      assertThat(onOne.get("/api/history").json().getLong("total")).isEqualTo(2);
      assertThat(onOne.get("/api/favourites/albums").json().getLong("total")).as("the album's star stays").isEqualTo(1);
      CLUSTER.until("both nodes hold identical rows", () -> CatalogDigest.of(one).equals(CatalogDigest.of(two)));
    }
  }
}
