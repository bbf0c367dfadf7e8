package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TaggedSongs.Tags;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V11 counts the plays recorded before it: a database whose plays were made by the node, taken
 * back to the schema before V11 (V12 undone, V11's two tables dropped, their rows out of Flyway's history), gets
 * the same most played and play counts when the node starts again and migrates it.
 */
class PlayCountsMigrationTest {

  @TempDir
  Path tmp;

  @Test
  void theMigrationCountsThePlaysAlreadyRecorded() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject harbour = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("harbour.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
      JsonObject wind = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("wind.mp3"), new Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", null)));
      JsonObject copper = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper.mp3"), new Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", null)));
      for (JsonObject song : List.of(copper, harbour, harbour, wind, harbour, copper)) {
        assertThat(admin.post("/api/plays", new JsonObject().put("songId", song.getString("id"))).status()).isEqualTo(201);
      }
      JsonObject expected = admin.get("/api/home").json();
      JsonObject frequent = frequentAlbums(node, admin);

      try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "")) {
        c.createStatement().execute(SearchWordsTest.UNDO_V12);
        c.createStatement().execute("DROP TABLE album_play_counts, play_counts");
        c.createStatement().execute("DELETE FROM flyway_schema_history WHERE version = '11'");
      }
      node.restart();

      JsonObject home = new ApiClient(node).asAdmin().get("/api/home").json();
      JsonArray most = home.getJsonArray("mostPlayed");
      assertThat(most.stream().map(o -> ((JsonObject) o).getString("id")).toList())
          .containsExactly(harbour.getString("id"), copper.getString("id"), wind.getString("id"));
      assertThat(most.stream().map(o -> ((JsonObject) o).getLong("playCount")).toList()).containsExactly(3L, 2L, 1L);
      assertThat(most).isEqualTo(expected.getJsonArray("mostPlayed"));
      assertThat(home.getJsonArray("recentlyPlayed")).isEqualTo(expected.getJsonArray("recentlyPlayed"));
      JsonObject frequentAfter = frequentAlbums(node, new ApiClient(node).asAdmin());
      assertThat(frequentAfter.getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("playCount")).toList()).containsExactly(4L, 2L);
      assertThat(frequentAfter).isEqualTo(frequent);
    }
  }

  /** Subsonic's getAlbumList2?type=frequent, as the Subsonic module asks the catalog. */
  private static JsonObject frequentAlbums(TestNode node, ApiClient caller) {
    String callerId = caller.get("/api/auth/me").json().getString("id");
    return (JsonObject) node.vertx().eventBus().request(CatalogAddresses.ALBUM_BROWSE,
        new JsonObject().put("order", "frequent").put("callerId", callerId).put("limit", 50)).await().body();
  }
}
