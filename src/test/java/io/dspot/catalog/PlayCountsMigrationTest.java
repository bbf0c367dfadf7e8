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
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V11 counts the plays recorded before it: a database whose plays were made by the node, taken
 * back to the schema before V11 (V12 undone, V11's two tables dropped, their rows out of Flyway's history), gets
 * the same most played and play counts when the node starts again and migrates it.
 */
class PlayCountsMigrationTest {

  /** Takes a database back to the schema before V13 (for the migration tests of V13 and earlier). */
  static final String UNDO_V13 = "DROP TABLE play_totals; DROP TRIGGER play_totals_added ON plays; "
      + "DROP TRIGGER play_totals_removed ON plays; DROP FUNCTION play_totals_added(), play_totals_removed(); "
      + "DELETE FROM flyway_schema_history WHERE version = '13'; ";

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

  @Test
  void v13TotalsThePlaysAlreadyRecorded() throws Exception {
    // V13 (play_totals): the history's total of a listener who played before it.
    try (TestNode own = TestNode.builder().start()) {
      ApiClient web = new ApiClient(own).asAdmin();
      JsonObject song = web.uploadSong(TaggedSongs.mp3(tmp.resolve("tide.mp3"), new Tags("Low Tide", "Oskar Lind", "Foundry", 2, 2022, "Ambient", null)));
      for (int i = 0; i < 3; i++) {
        assertThat(web.post("/api/plays", new JsonObject().put("songId", song.getString("id"))).status()).isEqualTo(201);
      }
      JsonObject before = web.get("/api/history").json();
      try (Connection c = DriverManager.getConnection(own.node().jdbcUrl(), "postgres", ""); Statement s = c.createStatement()) {
        s.execute(SearchWordsTest.UNDO_V14 + UNDO_V13);
      }
      own.restart();

      JsonObject after = new ApiClient(own).asAdmin().get("/api/history").json();
      assertThat(after.getLong("total")).isEqualTo(3);
      assertThat(after).isEqualTo(before);
    }
  }

  /** Subsonic's getAlbumList2?type=frequent, as the Subsonic module asks the catalog. */
  private static JsonObject frequentAlbums(TestNode node, ApiClient caller) {
    String callerId = caller.get("/api/auth/me").json().getString("id");
    return (JsonObject) node.vertx().eventBus().request(CatalogAddresses.ALBUM_BROWSE,
        new JsonObject().put("order", "frequent").put("callerId", callerId).put("limit", 50)).await().body();
  }
}
