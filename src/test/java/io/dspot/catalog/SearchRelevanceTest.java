package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order of a search (RelevantSongs): titles that start with the query first, the exact title
 * before the rest in title order, then every other match in the natural order; the same order on
 * every page and in the play-all id list. The library, written straight into the node's PostgreSQL
 * as the song.added applier writes it (as LargeLibraryTotalsTest does): the artist "Harbor Band"
 * with 1,200 tunes (more matches than the exact count, few of them titles that start with the
 * word: the other matches are walked in order), 30 "Harbor Lights" and the exact "Harbor", and a
 * second artist whose songs are matched only by a word inside their titles (few matches: matched
 * first, then sorted).
 */
class SearchRelevanceTest {

  static final int TUNES = 1200;
  static final int LIGHTS = 30;
  static final int ECHOES = 12;

  private static TestNode node;
  private static ApiClient admin;

  @BeforeAll
  static void startNodeWithALibrary() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "")) {
      UUID harbor = artist(c, "Harbor Band");
      UUID sea = album(c, harbor, "Sea Songs");
      UUID other = artist(c, "Alpha Quartet");
      UUID night = album(c, other, "Night Music");
      List<Object[]> songs = new ArrayList<>();
      for (int i = 0; i < TUNES; i++) {
        songs.add(new Object[] {"Tune " + i, harbor, "Harbor Band", sea, "Sea Songs", i + 1});
      }
      for (int i = 0; i < LIGHTS; i++) {
        songs.add(new Object[] {String.format("Harbor Lights %02d", LIGHTS - 1 - i), harbor, "Harbor Band", sea, "Sea Songs", TUNES + i + 1});
      }
      songs.add(new Object[] {"Harborview", harbor, "Harbor Band", sea, "Sea Songs", TUNES + LIGHTS + 1});
      songs.add(new Object[] {"HARBOR", harbor, "Harbor Band", sea, "Sea Songs", TUNES + LIGHTS + 2});
      for (int i = 0; i < 12; i++) {
        songs.add(new Object[] {"Blue Lights " + i, other, "Alpha Quartet", night, "Night Music", 12 - i});
      }
      // ECHOES songs of one title by three artists, written last artist first, and one "Echo Park" each.
      for (String name : List.of("Cobalt Trio", "Amber Duo", "Birch Band")) {
        UUID echoArtist = artist(c, name);
        UUID echoAlbum = album(c, echoArtist, name + " Live");
        for (int track = ECHOES / 3; track >= 1; track--) {
          songs.add(new Object[] {"Echo", echoArtist, name, echoAlbum, name + " Live", track});
        }
        songs.add(new Object[] {"Echo Park", echoArtist, name, echoAlbum, name + " Live", ECHOES / 3 + 1});
      }
      insert(c, songs);
    }
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theExactTitleComesFirstThenTitlesStartingWithTheWordThenTheOtherMatchesInAlbumOrder() {
    List<String> titles = titles(ok("/api/songs?q=harbor&limit=50").getJsonArray("items"));

    List<String> expected = new ArrayList<>(List.of("HARBOR"));
    for (int i = 0; i < LIGHTS; i++) {
      expected.add(String.format("Harbor Lights %02d", i));
    }
    expected.add("Harborview");
    for (int i = 0; expected.size() < 50; i++) {
      expected.add("Tune " + i);
    }
    assertThat(titles).containsExactlyElementsOf(expected);
  }

  @Test
  void aWordInsideTitlesOnlyListsThoseSongsInAlbumOrder() {
    JsonObject page = ok("/api/search?q=lights&limit=50").getJsonObject("songs");

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < LIGHTS; i++) {
      expected.add(String.format("Harbor Lights %02d", LIGHTS - 1 - i));
    }
    for (int i = 11; i >= 0; i--) {
      expected.add("Blue Lights " + i);
    }
    // Alpha Quartet sorts before Harbor Band; within an album by track.
    List<String> byArtist = new ArrayList<>(expected.subList(LIGHTS, expected.size()));
    byArtist.addAll(expected.subList(0, LIGHTS));
    assertThat(titles(page.getJsonArray("items"))).containsExactlyElementsOf(byArtist);
    assertThat(page.getLong("total")).isEqualTo(LIGHTS + 12);
    assertThat(page.getBoolean("hasMore")).isFalse();
  }

  @Test
  void pagesAcrossBothPartsFollowThePlayAllOrderWithoutGapsOrRepeats() {
    List<Object> ids = ok("/api/songs/ids?q=harbor").getJsonArray("ids").getList();
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 70; offset += 7) {
      paged.addAll(strings(ok("/api/songs?q=harbor&limit=7&offset=" + offset).getJsonArray("items")));
    }
    JsonObject deep = ok("/api/songs?q=harbor&limit=7&offset=1000");

    assertThat(ids).hasSize(TUNES + LIGHTS + 2);
    assertThat(paged).containsExactlyElementsOf(ids.subList(0, 70).stream().map(Object::toString).toList());
    assertThat(strings(deep.getJsonArray("items"))).containsExactlyElementsOf(ids.subList(1000, 1007).stream().map(Object::toString).toList());
    assertThat(deep.getBoolean("hasMore")).isTrue();
  }

  @Test
  void pagesOfAFewMatchesFollowThePlayAllOrderToo() {
    List<Object> ids = ok("/api/songs/ids?q=lights").getJsonArray("ids").getList();
    List<String> paged = strings(pagesOf("/api/songs?q=lights", 5));

    assertThat(paged).containsExactlyElementsOf(ids.stream().map(Object::toString).toList()).hasSize(LIGHTS + 12);
  }

  @Test
  void songsOfOneTitleAcrossAPageEdgeComeInAlbumOrderOnEveryPage() {
    // The first part cuts at the page's last title (SongQuery.titleStarts): every page here ends
    // inside the twelve "Echo", whose order is the artist's, then the track.
    List<Object> ids = ok("/api/songs/ids?q=echo").getJsonArray("ids").getList();
    JsonArray songs = pagesOf("/api/songs?q=echo", 5);
    List<String> paged = strings(songs);
    List<String> artists = new ArrayList<>();
    songs.forEach(o -> artists.add(((JsonObject) o).getString("artist") + " " + ((JsonObject) o).getString("title")
        + " " + ((JsonObject) o).getInteger("track")));

    assertThat(paged).containsExactlyElementsOf(ids.stream().map(Object::toString).toList()).hasSize(ECHOES + 3);
    assertThat(artists.subList(0, 6)).containsExactly("Amber Duo Echo 1", "Amber Duo Echo 2", "Amber Duo Echo 3", "Amber Duo Echo 4",
        "Birch Band Echo 1", "Birch Band Echo 2");
    assertThat(artists.subList(ECHOES, ECHOES + 3)).containsExactly("Amber Duo Echo Park 5", "Birch Band Echo Park 5", "Cobalt Trio Echo Park 5");
    assertThat(titles(ok("/api/search?q=echo&limit=50").getJsonObject("songs").getJsonArray("items"))).hasSize(ECHOES + 3);
  }

  @Test
  void aTitleThatStartsWithSeveralWordsOfTheQueryComesFirst() {
    List<String> titles = titles(ok("/api/songs?q=blue%20lights%201&limit=3").getJsonArray("items"));

    // Every "Blue Lights" holds the three words (1 is in its year, 2001); these three start with them.
    assertThat(titles).containsExactly("Blue Lights 1", "Blue Lights 10", "Blue Lights 11");
  }

  @Test
  void everySongCarriesTheCallersMarksAsTheSongAloneDoesOnFirstPagesDeepPagesAndBothParts() {
    for (String title : List.of("HARBOR", "Harbor Lights 05", "Tune 2", "Blue Lights 3", "Blue Lights 11")) {
      assertThat(admin.put("/api/favourites/songs/" + idOf(title), new JsonObject()).status()).as(title).isEqualTo(200);
    }
    assertThat(admin.put("/api/ratings/" + idOf("Tune 0"), new JsonObject().put("rating", 5)).status()).isEqualTo(200);
    assertThat(admin.put("/api/ratings/" + idOf("Blue Lights 7"), new JsonObject().put("rating", 2)).status()).isEqualTo(200);
    for (String title : List.of("Harbor Lights 05", "Harbor Lights 05", "Tune 1", "Blue Lights 3")) {
      assertThat(admin.post("/api/plays", new JsonObject().put("songId", idOf(title))).status()).isEqualTo(201);
    }
    JsonObject nightMusic = ok("/api/search?q=night").getJsonArray("albums").getJsonObject(0);
    assertThat(nightMusic.getBoolean("starred")).isFalse();
    assertThat(admin.put("/api/favourites/albums/" + nightMusic.getString("id"), new JsonObject()).status()).isEqualTo(200);
    String harborBand = ok("/api/search?q=band").getJsonArray("artists").getJsonObject(0).getString("id");
    assertThat(admin.put("/api/favourites/artists/" + harborBand, new JsonObject()).status()).isEqualTo(200);
    String next = ok("/api/songs?limit=20").getString("next");

    // First pages read the marks with the page, deeper ones after it: the same answer either way.
    List<String> paths = List.of("/api/search?q=harbor&limit=50", "/api/search?q=lights&limit=50", "/api/songs?q=lights&limit=5",
        "/api/songs?q=lights&limit=5&offset=10", "/api/songs?q=harbor&limit=7&offset=28", "/api/songs?q=harbor&limit=20&offset=1000",
        "/api/songs?limit=20", "/api/songs?limit=20&after=" + next, "/api/songs?limit=20&offset=1225", "/api/songs?q=lights&sort=title&limit=50");
    int starred = 0;
    int rated = 0;
    int played = 0;
    for (String path : paths) {
      JsonObject answer = ok(path);
      JsonArray items = answer.containsKey("songs") ? answer.getJsonObject("songs").getJsonArray("items") : answer.getJsonArray("items");
      assertThat(items).as(path).isNotEmpty();
      for (Object o : items) {
        JsonObject song = (JsonObject) o;
        assertThat(song.encode()).as(path).isEqualTo(ok("/api/songs/" + song.getString("id")).encode());
        starred += song.getBoolean("starred") ? 1 : 0;
        rated += song.getInteger("rating") > 0 ? 1 : 0;
        played += song.getLong("playCount") > 0 ? 1 : 0;
      }
    }
    assertThat(starred).as("starred songs seen").isGreaterThanOrEqualTo(5);
    assertThat(rated).as("rated songs seen").isGreaterThanOrEqualTo(2);
    assertThat(played).as("played songs seen").isGreaterThanOrEqualTo(3);

    // The grouped search's albums and artists: starred with the same time as their own pages show.
    JsonObject album = ok("/api/search?q=night").getJsonArray("albums").getJsonObject(0);
    assertThat(album.getBoolean("starred")).isTrue();
    assertThat(album.getString("starredAt")).isNotNull().isEqualTo(ok("/api/albums/" + album.getString("id")).getString("starredAt"));
    JsonObject artist = ok("/api/search?q=band").getJsonArray("artists").getJsonObject(0);
    assertThat(artist.getBoolean("starred")).isTrue();
    assertThat(artist.getString("starredAt")).isNotNull().isEqualTo(ok("/api/artists/" + harborBand).getString("starredAt"));
    JsonObject quartet = ok("/api/search?q=quartet").getJsonArray("artists").getJsonObject(0);
    assertThat(quartet.getBoolean("starred")).isFalse();
    assertThat(quartet.containsKey("starredAt")).isFalse();
  }

  private static String idOf(String title) {
    for (Object o : ok("/api/songs?q=" + title.replace(" ", "%20") + "&limit=50").getJsonArray("items")) {
      if (((JsonObject) o).getString("title").equals(title)) {
        return ((JsonObject) o).getString("id");
      }
    }
    throw new AssertionError("no song titled " + title);
  }

  private static UUID artist(Connection c, String name) throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO artists (id, name, name_key) VALUES (?, ?, lower(?))")) {
      s.setObject(1, id);
      s.setString(2, name);
      s.setString(3, name);
      s.executeUpdate();
    }
    return id;
  }

  private static UUID album(Connection c, UUID artist, String title) throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO albums (id, artist_id, title, title_key, year) VALUES (?, ?, ?, lower(?), 2001)")) {
      s.setObject(1, id);
      s.setObject(2, artist);
      s.setString(3, title);
      s.setString(4, title);
      s.executeUpdate();
    }
    return id;
  }

  /** Each row: title, artist id, artist name, album id, album title, track. */
  private static void insert(Connection c, List<Object[]> songs) throws Exception {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO songs (id, sha256, title, artist_id, album_id, track, year, genre, "
        + "duration_ms, bitrate, codec, content_type, size, search_text, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, 2001, 'Folk', 1000, 128, 'mp3', 'audio/mpeg', 1000, ?, now())")) {
      int n = 0;
      for (Object[] song : songs) {
        s.setObject(1, UUID.randomUUID());
        s.setString(2, String.format("%064x", n++));
        s.setString(3, (String) song[0]);
        s.setObject(4, song[1]);
        s.setObject(5, song[3]);
        s.setInt(6, (Integer) song[5]);
        s.setString(7, SongSearch.searchText((String) song[0], (String) song[2], (String) song[4], null));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** Every item of {@code path}'s pages of {@code limit}, from offset 0 until hasMore is false. */
  private static JsonArray pagesOf(String path, int limit) {
    JsonArray items = new JsonArray();
    JsonObject page;
    int offset = 0;
    do {
      page = ok(path + "&limit=" + limit + "&offset=" + offset);
      items.addAll(page.getJsonArray("items"));
      offset += limit;
    } while (page.getBoolean("hasMore"));
    return items;
  }

  private static List<String> titles(JsonArray items) {
    List<String> titles = new ArrayList<>();
    items.forEach(s -> titles.add(((JsonObject) s).getString("title")));
    return titles;
  }

  private static List<String> strings(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(s -> ids.add(((JsonObject) s).getString("id")));
    return ids;
  }

  private static JsonObject ok(String path) {
    ApiClient.Reply reply = admin.get(path);
    assertThat(reply.status()).as(path + ": " + reply.text()).isEqualTo(200);
    return reply.json();
  }
}
