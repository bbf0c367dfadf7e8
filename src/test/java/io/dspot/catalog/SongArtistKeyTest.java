package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TaggedSongs.Tags;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * songs.artist_key (V15), the artist's name_key on each song, which a search's other matches are
 * cut by (SongQuery.fewOtherMatches): filled by the migration for the songs of a library that was
 * there before it, written by the trigger for every song added after, and the search's order and
 * pages the same as before the migration.
 */
class SongArtistKeyTest {

  /** Takes a database back to the schema before V15. */
  static final String UNDO_V15 = "DROP TRIGGER song_artist_key ON songs; DROP FUNCTION song_artist_key(); "
      + "ALTER TABLE songs DROP COLUMN artist_key; DROP FUNCTION artist_key_of(uuid); "
      + "DELETE FROM flyway_schema_history WHERE version = '15'; ";

  /** The matches of "folk 2019" start no title: every one is an "other match", cut by artist. */
  private static final String QUERY = "/api/search?q=folk+2019&limit=";

  @TempDir
  Path tmp;

  @Test
  void theMigrationKeysTheSongsAlreadyThereAndTheTriggerEveryLaterOneInTheSearchOrder() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      // Uploaded last artist first, so that neither upload order nor ids give the artists' order.
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("z1.mp3"), new Tags("Lanterns", "Zed Ray", "Zenith", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("o1.mp3"), new Tags("Copper Sky", "Oskar  LIND", "Foundry", 2, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("o2.mp3"), new Tags("Anvil", "Oskar  LIND", "Foundry", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("m1.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("x1.mp3"), new Tags("North Wind", "Mira Vale", "Lanterns", 2, 2018, "Folk", null)));
      List<String> order = List.of("Quiet Harbour", "Anvil", "Copper Sky", "Lanterns");
      assertThat(titles(admin, 50)).containsExactlyElementsOf(order);
      assertThat(keysMatchTheirArtists(node)).isEqualTo(5);
      JsonObject all = admin.get(QUERY + "50").json();
      // Pages of one across the cut (WITH TIES keeps both songs of Oskar Lind).
      List<JsonObject> pages = pages(admin);

      SearchWordsTest.execute(node, UNDO_V15);
      node.restart();

      ApiClient after = new ApiClient(node).asAdmin();
      assertThat(keysMatchTheirArtists(node)).isEqualTo(5);
      assertThat(after.get(QUERY + "50").json()).isEqualTo(all);
      assertThat(pages(after)).isEqualTo(pages);

      // A later song of a new artist and one of a known artist: keyed by the trigger, in their places.
      after.uploadSong(TaggedSongs.mp3(tmp.resolve("n1.mp3"), new Tags("Birch Road", "Nell Ash", "Birches", 1, 2019, "Folk", null)));
      after.uploadSong(TaggedSongs.mp3(tmp.resolve("z2.mp3"), new Tags("Dusk", "ZED RAY", "Zenith", 2, 2019, "Folk", null)));
      assertThat(keysMatchTheirArtists(node)).isEqualTo(7);
      assertThat(titles(after, 50)).containsExactly("Quiet Harbour", "Birch Road", "Anvil", "Copper Sky", "Lanterns", "Dusk");
    }
  }

  /** How many songs carry their artist's name_key; every song does when it equals the number of songs. */
  private static int keysMatchTheirArtists(TestNode node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE s.artist_key = ar.name_key), count(*) FROM songs s JOIN artists ar ON ar.id = s.artist_id")) {
      r.next();
      assertThat(r.getInt(1)).as("songs keyed by their artist").isEqualTo(r.getInt(2));
      return r.getInt(1);
    }
  }

  private static List<JsonObject> pages(ApiClient caller) {
    return List.of(0, 1, 2, 3, 4).stream().map(offset -> caller.get(QUERY + "1&offset=" + offset).json()).toList();
  }

  private static List<String> titles(ApiClient caller, int limit) {
    ApiClient.Reply r = caller.get(QUERY + limit);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().getJsonObject("songs").getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("title")).toList();
  }
}
