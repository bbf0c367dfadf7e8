package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TaggedSongs.Tags;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grouped search finds albums and artists by their own words (V12's album_words, artist_words): title, artist,
 * and their songs' genres and years, kept by triggers as songs come and go, and filled by the
 * migration for a library that was there before it.
 */
class SearchWordsTest {

  /** Takes a database back to the schema before V14: album_words without its list order (V12's shape). */
  static final String UNDO_V14 = SongArtistKeyTest.UNDO_V15 + "DROP TRIGGER album_words_year ON albums; DROP FUNCTION album_words_year(); "
      + "ALTER TABLE album_words DROP COLUMN artist_key, DROP COLUMN year, DROP COLUMN title_key; "
      + "CREATE OR REPLACE FUNCTION album_words_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      + "INSERT INTO album_words (album_id, words) VALUES (NEW.id, NEW.title_key || ' ' || coalesce((SELECT name_key FROM artists WHERE id = NEW.artist_id), '')); "
      + "RETURN NULL; END $$; "
      + "DELETE FROM flyway_schema_history WHERE version = '14'; ";

  /** Takes a database back to the schema before V12 (for the migration tests of V12 and earlier; V14 and V13 go first). */
  static final String UNDO_V12 = UNDO_V14 + PlayCountsMigrationTest.UNDO_V13 + "DROP TABLE album_words, artist_words; "
      + "DROP TRIGGER song_words_added ON songs; DROP TRIGGER song_words_deleted ON songs; "
      + "DROP TRIGGER album_words_new ON albums; DROP TRIGGER artist_words_new ON artists; "
      + "DROP FUNCTION song_words_added(), song_words_deleted(), album_words_new(), artist_words_new(), "
      + "album_search_words(uuid), artist_search_words(uuid), song_genre_year(text, int); "
      + "CREATE INDEX songs_genre_year_trgm ON songs USING gin ((coalesce(lower(genre), '') || ' ' || coalesce(year::text, '')) gin_trgm_ops); "
      + "ALTER INDEX songs_words_trgm RESET (gin_pending_list_limit); ALTER INDEX albums_title_trgm RESET (gin_pending_list_limit); "
      + "ALTER INDEX artists_name_trgm RESET (gin_pending_list_limit); "
      + "DELETE FROM flyway_schema_history WHERE version = '12'";

  @TempDir
  Path tmp;

  @Test
  void albumsAndArtistsMatchTheirSongsGenresAndYearsAsSongsComeAndGo() {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("harbour.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
      JsonObject storm = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("storm.mp3"), new Tags("Storm Front", "Mira Vale", "Lanterns", 2, 1984, "Rock", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper.mp3"), new Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Folk", null)));

      assertThat(titles(admin, "rock", "albums")).containsExactly("Lanterns");
      assertThat(titles(admin, "1984", "artists")).containsExactly("Mira Vale");
      assertThat(titles(admin, "folk", "albums")).containsExactly("Lanterns", "Foundry");
      // Each word may match another part: the title, the artist, a song's genre, a song's year.
      assertThat(titles(admin, "lanterns 1984", "albums")).containsExactly("Lanterns");
      assertThat(titles(admin, "vale rock", "artists")).containsExactly("Mira Vale");
      assertThat(titles(admin, "foundry 1984", "albums")).isEmpty();
      // A word never spans two parts.
      assertThat(titles(admin, "lanterns mira", "albums")).containsExactly("Lanterns");
      assertThat(titles(admin, "lanternsmira", "albums")).isEmpty();

      assertThat(admin.delete("/api/songs/" + storm.getString("id")).status()).isEqualTo(204);

      assertThat(titles(admin, "rock", "albums")).isEmpty();
      assertThat(titles(admin, "1984", "artists")).isEmpty();
      assertThat(titles(admin, "folk", "albums")).containsExactly("Lanterns", "Foundry");
      assertThat(titles(admin, "2019 vale", "artists")).containsExactly("Mira Vale");
    }
  }

  @Test
  void theMigrationFillsTheWordsOfALibraryMadeBeforeIt() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("harbour.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("storm.mp3"), new Tags("Storm Front", "Mira Vale", "Lanterns", 2, 1984, "Rock", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper.mp3"), new Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Jazz", null)));

      execute(node, UNDO_V12);
      node.restart();

      ApiClient after = new ApiClient(node).asAdmin();
      assertThat(titles(after, "rock", "albums")).containsExactly("Lanterns");
      assertThat(titles(after, "jazz", "artists")).containsExactly("Oskar Lind");
      assertThat(titles(after, "lanterns 2019", "albums")).containsExactly("Lanterns");
      assertThat(titles(after, "lind", "albums")).containsExactly("Foundry");
      // And the triggers are back: a new song's genre is found.
      after.uploadSong(TaggedSongs.mp3(tmp.resolve("tide.mp3"), new Tags("Low Tide", "Oskar Lind", "Foundry", 2, 2022, "Ambient", null)));
      assertThat(titles(after, "ambient 2022", "albums")).containsExactly("Foundry");
    }
  }

  @Test
  void albumsAreListedInTheAlbumListsOrderAlsoWhenALaterSongGivesAnAlbumItsYearAndAfterV14FillsTheOrder() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("harbour.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("birch.mp3"), new Tags("Birch Road", "Mira Vale", "Birches", 1, 2019, "Folk", null)));
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper.mp3"), new Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 1999, "Folk", null)));
      // An album without a year (an upload always has one here), as an older library may hold: last of its artist's.
      execute(node, "INSERT INTO albums (id, artist_id, title, title_key) SELECT gen_random_uuid(), id, 'Amber', 'amber' FROM artists WHERE name_key = 'mira vale'");
      assertThat(titles(admin, "vale", "albums")).containsExactly("Birches", "Lanterns", "Amber");
      assertThat(titles(admin, "mira", "albums")).isEqualTo(albumList(admin).subList(0, 3));

      // Amber gets its year from a later song: it moves before the 2019 albums, as in the album list.
      admin.uploadSong(TaggedSongs.mp3(tmp.resolve("amber.mp3"), new Tags("Amber Dusk", "Mira Vale", "Amber", 2, 2001, "Folk", null)));
      assertThat(titles(admin, "folk", "albums")).containsExactly("Amber", "Birches", "Lanterns", "Foundry").isEqualTo(albumList(admin));

      execute(node, UNDO_V14);
      node.restart();

      ApiClient after = new ApiClient(node).asAdmin();
      assertThat(titles(after, "folk", "albums")).containsExactly("Amber", "Birches", "Lanterns", "Foundry");
      assertThat(titles(after, "vale 2019", "albums")).containsExactly("Birches", "Lanterns");
      after.uploadSong(TaggedSongs.mp3(tmp.resolve("cedar.mp3"), new Tags("Cedar", "Mira Vale", "Cedars", 1, 1990, "Folk", null)));
      assertThat(titles(after, "folk", "albums")).containsExactly("Cedars", "Amber", "Birches", "Lanterns", "Foundry").isEqualTo(albumList(after));
    }
  }

  static void execute(TestNode node, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The album list's titles (artist, year, title): the order the search's albums follow. */
  private static List<String> albumList(ApiClient caller) {
    return caller.get("/api/albums?limit=50").items().stream().map(o -> ((JsonObject) o).getString("title")).toList();
  }

  private static List<String> titles(ApiClient caller, String q, String group) {
    ApiClient.Reply r = caller.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonArray items = r.json().getJsonArray(group);
    String key = group.equals("albums") ? "title" : "name";
    return items.stream().map(o -> ((JsonObject) o).getString(key)).toList();
  }
}
