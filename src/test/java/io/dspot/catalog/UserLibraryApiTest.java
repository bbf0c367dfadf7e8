package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A listener's favourites, ratings, plays and home view over HTTP on a real node: their own, and nobody else's. */
class UserLibraryApiTest {

  private static final String PASSWORD = "listener-password";
  private static final AtomicInteger USERS = new AtomicInteger();

  private static TestNode node;
  private static ApiClient admin;
  private static JsonObject mp3;
  private static JsonObject flac;
  private static JsonObject ogg;

  @BeforeAll
  static void startNodeWithSongs() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    mp3 = admin.uploadSong(ApiClient.fixture("tone.mp3"));
    flac = admin.uploadSong(ApiClient.fixture("tone.flac"));
    ogg = admin.uploadSong(ApiClient.fixture("tone.ogg"));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** A fresh listener per test: each test sees only what it did. */
  private static ApiClient newListener() {
    String name = "listener" + USERS.incrementAndGet();
    Reply r = admin.post("/api/users", new JsonObject().put("username", name).put("password", PASSWORD).put("role", "listener"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return new ApiClient(node).login(name, PASSWORD);
  }

  // ---- favourites ----

  @Test
  void starredSongAlbumAndArtistAppearInFavouritesAndAreMarkedInListings() {
    ApiClient alice = newListener();
    String song = id(mp3);
    String album = mp3.getString("albumId");
    String artist = mp3.getString("artistId");

    for (String path : List.of("/api/favourites/songs/" + song, "/api/favourites/albums/" + album, "/api/favourites/artists/" + artist)) {
      Reply starred = alice.put(path, new JsonObject());
      assertThat(starred.status()).as("PUT %s → %s", path, starred.text()).isEqualTo(200);
      assertThat(starred.json().getBoolean("starred")).isTrue();
    }

    JsonObject favourites = alice.get("/api/favourites").json();
    assertThat(ids(favourites.getJsonObject("songs").getJsonArray("items"))).containsExactly(song);
    assertThat(favourites.getJsonObject("songs").getLong("total")).isEqualTo(1);
    assertThat(ids(favourites.getJsonObject("albums").getJsonArray("items"))).containsExactly(album);
    assertThat(ids(favourites.getJsonObject("artists").getJsonArray("items"))).containsExactly(artist);
    assertThat(ids(alice.get("/api/favourites/songs").items())).containsExactly(song);
    for (String kind : List.of("songs", "albums", "artists")) {
      assertThat(favourites.getJsonObject(kind).getJsonArray("items").getJsonObject(0).getBoolean("starred")).as(kind).isTrue();
      assertThat(alice.get("/api/favourites/" + kind).items().getJsonObject(0).getBoolean("starred")).as(kind).isTrue();
    }
    assertThat(favourites.getJsonObject("songs").getJsonArray("items").getJsonObject(0).getLong("playCount")).isZero();

    assertThat(find(alice.get("/api/songs?limit=500").items(), song).getBoolean("starred")).isTrue();
    assertThat(find(alice.get("/api/songs?limit=500").items(), id(flac)).getBoolean("starred")).isFalse();
    assertThat(alice.get("/api/songs/" + song).json().getBoolean("starred")).isTrue();
    assertThat(alice.get("/api/songs?q=sine").items().getJsonObject(0).getBoolean("starred")).isTrue();
    JsonObject albumPage = alice.get("/api/albums/" + album).json();
    assertThat(albumPage.getBoolean("starred")).isTrue();
    assertThat(find(albumPage.getJsonArray("songs"), song).getBoolean("starred")).isTrue();
    assertThat(find(alice.get("/api/albums?limit=500").items(), album).getBoolean("starred")).isTrue();
    assertThat(find(alice.get("/api/albums?limit=500").items(), flac.getString("albumId")).getBoolean("starred")).isFalse();
    assertThat(alice.get("/api/artists/" + artist).json().getBoolean("starred")).isTrue();
    assertThat(find(alice.get("/api/artists?limit=500").items(), artist).getBoolean("starred")).isTrue();
    assertThat(find(alice.get("/api/artists/" + artist).json().getJsonArray("albums"), album).getBoolean("starred")).isTrue();
    JsonObject playlist = alice.post("/api/playlists", new JsonObject().put("name", "Mine").put("songIds", new JsonArray().add(song).add(id(ogg)).add(song))).json();
    assertThat(playlist.getJsonArray("songs").stream().map(o -> ((JsonObject) o).getBoolean("starred")).toList()).containsExactly(true, false, true);
    assertThat(alice.get("/api/playlists/" + playlist.getString("id")).json().getJsonArray("songs").getJsonObject(2).getBoolean("starred")).isTrue();
  }

  @Test
  void starringTwiceKeepsTheFirstStarAndUnstarringTwiceIsFine() {
    ApiClient alice = newListener();
    String path = "/api/favourites/songs/" + id(ogg);

    Reply first = alice.put(path, new JsonObject());
    Reply again = alice.put(path, new JsonObject());

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getString("starredAt")).isEqualTo(first.json().getString("starredAt"));
    assertThat(alice.get("/api/favourites/songs").json().getLong("total")).isEqualTo(1);

    assertThat(alice.delete(path).status()).isEqualTo(204);
    assertThat(alice.delete(path).status()).isEqualTo(204);
    assertThat(alice.get("/api/favourites/songs").items()).isEmpty();
    assertThat(alice.get("/api/songs/" + id(ogg)).json().getBoolean("starred")).isFalse();
  }

  @Test
  void favouritesComeNewestFirstAndPaged() {
    ApiClient alice = newListener();
    for (JsonObject song : List.of(flac, mp3, ogg)) {
      assertThat(alice.put("/api/favourites/songs/" + id(song), new JsonObject()).status()).isEqualTo(200);
    }

    assertThat(ids(alice.get("/api/favourites/songs").items())).containsExactly(id(ogg), id(mp3), id(flac));
    Reply second = alice.get("/api/favourites/songs?limit=2&offset=2");
    assertThat(ids(second.items())).containsExactly(id(flac));
    assertThat(second.json().getLong("total")).isEqualTo(3);
  }

  @Test
  void badFavouriteRequestsAreRefusedAndStarNothing() {
    ApiClient alice = newListener();
    String unknown = UUID.randomUUID().toString();

    assertRefused(alice.put("/api/favourites/tracks/" + id(mp3), new JsonObject()), 400, "songs, albums or artists");
    assertRefused(alice.put("/api/favourites/songs/not-an-id", new JsonObject()), 400, "malformed song id");
    assertRefused(alice.put("/api/favourites/albums/12345", new JsonObject()), 400, "malformed album id");
    assertRefused(alice.put("/api/favourites/songs/" + unknown, new JsonObject()), 404, "no song with id");
    assertRefused(alice.put("/api/favourites/albums/" + unknown, new JsonObject()), 404, "no album with id");
    assertRefused(alice.put("/api/favourites/artists/" + unknown, new JsonObject()), 404, "no artist with id");
    assertRefused(alice.put("/api/favourites/albums/" + id(mp3), new JsonObject()), 404, "no album with id");
    assertRefused(alice.delete("/api/favourites/artists/" + unknown), 404, "no artist with id");
    assertRefused(alice.get("/api/favourites/playlists"), 400, "songs, albums or artists");
    assertRefused(alice.get("/api/favourites?limit=0"), 400, "limit");

    JsonObject favourites = alice.get("/api/favourites").json();
    for (String kind : List.of("songs", "albums", "artists")) {
      assertThat(favourites.getJsonObject(kind).getJsonArray("items")).as(kind).isEmpty();
    }
  }

  // ---- ratings ----

  @Test
  void ratingIsShownOnTheSongAndCanBeChangedAndCleared() {
    ApiClient alice = newListener();
    String song = id(flac);

    Reply rated = alice.put("/api/ratings/" + song, new JsonObject().put("rating", 4));
    assertThat(rated.status()).as(rated.text()).isEqualTo(200);
    assertThat(rated.json().getInteger("rating")).isEqualTo(4);
    assertThat(alice.get("/api/songs/" + song).json().getInteger("rating")).isEqualTo(4);
    assertThat(find(alice.get("/api/songs?limit=500").items(), id(mp3)).getInteger("rating")).isZero();

    assertThat(alice.put("/api/ratings/" + song, new JsonObject().put("rating", 2)).status()).isEqualTo(200);
    assertThat(find(alice.get("/api/albums/" + flac.getString("albumId")).json().getJsonArray("songs"), song).getInteger("rating")).isEqualTo(2);

    assertThat(alice.delete("/api/ratings/" + song).status()).isEqualTo(204);
    assertThat(alice.delete("/api/ratings/" + song).status()).isEqualTo(204);
    assertThat(alice.get("/api/songs/" + song).json().getInteger("rating")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"rating\":0}", "{\"rating\":6}", "{\"rating\":2.5}", "{\"rating\":\"x\"}", "{\"rating\":\"4\"}",
      "{\"rating\":-1}", "{\"rating\":null}", "{}", "{\"rating\":true}", "{\"rating\":[4]}", "[4]", "4", "not json"})
  void badRatingsAreRefusedWithAMessageAndKeepTheOldRating(String body) {
    ApiClient alice = newListener();
    String song = id(ogg);
    assertThat(alice.put("/api/ratings/" + song, new JsonObject().put("rating", 3)).status()).isEqualTo(200);

    Reply refused = alice.send("PUT", "/api/ratings/" + song, body.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");

    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.json().getString("error")).isNotBlank();
    assertThat(alice.get("/api/songs/" + song).json().getInteger("rating")).isEqualTo(3);
  }

  @Test
  void ratingAnUnknownOrMalformedSongIsRefused() {
    ApiClient alice = newListener();
    assertRefused(alice.put("/api/ratings/" + UUID.randomUUID(), new JsonObject().put("rating", 3)), 404, "no song with id");
    assertRefused(alice.put("/api/ratings/nope", new JsonObject().put("rating", 3)), 400, "malformed song id");
    assertRefused(alice.delete("/api/ratings/" + UUID.randomUUID()), 404, "no song with id");
    assertRefused(alice.delete("/api/ratings/nope"), 400, "malformed song id");
  }

  // ---- plays ----

  @Test
  void playsAppearInHistoryNewestFirstAndCountOnTheSong() {
    ApiClient alice = newListener();
    Reply first = alice.post("/api/plays", new JsonObject().put("songId", id(ogg)));
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    assertThat(first.json().getString("songId")).isEqualTo(id(ogg));
    alice.post("/api/plays", new JsonObject().put("songId", id(mp3)));
    alice.post("/api/plays", new JsonObject().put("songId", id(ogg)));

    Reply history = alice.get("/api/history");
    assertThat(history.json().getLong("total")).isEqualTo(3);
    assertThat(history.items().stream().map(o -> ((JsonObject) o).getJsonObject("song").getString("id")).toList())
        .containsExactly(id(ogg), id(mp3), id(ogg));
    assertThat(history.items().getJsonObject(2).getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(history.items().getJsonObject(0).getJsonObject("song").getLong("playCount")).isEqualTo(2);
    assertThat(ids(alice.get("/api/history?limit=1&offset=1").items().stream()
        .map(o -> ((JsonObject) o).getJsonObject("song")).collect(JsonArray::new, JsonArray::add, JsonArray::addAll))).containsExactly(id(mp3));

    JsonArray songs = alice.get("/api/songs?limit=500").items();
    assertThat(find(songs, id(ogg)).getLong("playCount")).isEqualTo(2);
    assertThat(find(songs, id(mp3)).getLong("playCount")).isEqualTo(1);
    assertThat(find(songs, id(flac)).getLong("playCount")).isZero();
  }

  @Test
  void badPlaysAreRefusedAndRecordNothing() {
    ApiClient alice = newListener();
    assertRefused(alice.post("/api/plays", new JsonObject()), 400, "songId is required");
    assertRefused(alice.post("/api/plays", new JsonObject().put("songId", 42)), 400, "songId is required");
    assertRefused(alice.post("/api/plays", new JsonObject().put("songId", "x")), 400, "malformed song id");
    assertRefused(alice.post("/api/plays", new JsonObject().put("songId", UUID.randomUUID().toString())), 404, "no song with id");
    assertRefused(alice.postRaw("/api/plays", "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8)), 400, "JSON object");
    assertRefused(alice.get("/api/history?offset=-1"), 400, "offset");

    assertThat(alice.get("/api/history").json().getLong("total")).isZero();
  }

  // ---- home ----

  @Test
  void homeShowsRecentlyAddedRecentlyPlayedMostPlayedAndRandomAlbums() {
    ApiClient alice = newListener();
    JsonObject before = alice.get("/api/home").json();
    assertThat(ids(before.getJsonArray("recentlyAdded")).get(0)).as("the last upload's album first").isEqualTo(ogg.getString("albumId"));
    assertThat(ids(before.getJsonArray("recentlyAdded"))).contains(mp3.getString("albumId"), flac.getString("albumId"));
    assertThat(before.getJsonArray("recentlyPlayed")).isEmpty();
    assertThat(before.getJsonArray("mostPlayed")).isEmpty();
    List<String> allAlbums = ids(alice.get("/api/albums?limit=500").items());
    assertThat(ids(before.getJsonArray("randomAlbums"))).isNotEmpty().isSubsetOf(allAlbums).doesNotHaveDuplicates();

    alice.post("/api/plays", new JsonObject().put("songId", id(flac)));
    alice.post("/api/plays", new JsonObject().put("songId", id(flac)));
    alice.post("/api/plays", new JsonObject().put("songId", id(mp3)));
    alice.put("/api/favourites/albums/" + mp3.getString("albumId"), new JsonObject());

    JsonObject home = alice.get("/api/home").json();
    assertThat(ids(home.getJsonArray("recentlyPlayed"))).containsExactly(mp3.getString("albumId"), flac.getString("albumId"));
    assertThat(home.getJsonArray("recentlyPlayed").getJsonObject(0).getBoolean("starred")).isTrue();
    assertThat(ids(home.getJsonArray("mostPlayed"))).containsExactly(id(flac), id(mp3));
    assertThat(home.getJsonArray("mostPlayed").getJsonObject(0).getLong("playCount")).isEqualTo(2);
    assertThat(newListener().get("/api/home").json().getJsonArray("recentlyPlayed")).as("another listener's home").isEmpty();
  }

  // ---- privacy and deletion ----

  @Test
  void anotherListenerSeesNoneOfIt() {
    ApiClient alice = newListener();
    ApiClient bob = newListener();
    alice.put("/api/favourites/songs/" + id(mp3), new JsonObject());
    alice.put("/api/favourites/artists/" + mp3.getString("artistId"), new JsonObject());
    alice.put("/api/ratings/" + id(mp3), new JsonObject().put("rating", 5));
    alice.post("/api/plays", new JsonObject().put("songId", id(mp3)));

    JsonObject seenByBob = bob.get("/api/songs/" + id(mp3)).json();
    assertThat(seenByBob.getBoolean("starred")).isFalse();
    assertThat(seenByBob.getInteger("rating")).isZero();
    assertThat(seenByBob.getLong("playCount")).isZero();
    assertThat(bob.get("/api/artists/" + mp3.getString("artistId")).json().getBoolean("starred")).isFalse();
    assertThat(bob.get("/api/favourites").json().getJsonObject("songs").getLong("total")).isZero();
    assertThat(bob.get("/api/history").json().getLong("total")).isZero();

    // Bob's unstar and clear touch his own (empty) data only.
    assertThat(bob.delete("/api/favourites/songs/" + id(mp3)).status()).isEqualTo(204);
    assertThat(bob.delete("/api/ratings/" + id(mp3)).status()).isEqualTo(204);
    JsonObject seenByAlice = alice.get("/api/songs/" + id(mp3)).json();
    assertThat(seenByAlice.getBoolean("starred")).isTrue();
    assertThat(seenByAlice.getInteger("rating")).isEqualTo(5);
    assertThat(seenByAlice.getLong("playCount")).isEqualTo(1);
  }

  @Test
  void withoutASessionNothingIsReadOrWritten() {
    ApiClient anonymous = new ApiClient(node);
    assertThat(anonymous.get("/api/favourites").status()).isEqualTo(401);
    assertThat(anonymous.put("/api/favourites/songs/" + id(mp3), new JsonObject()).status()).isEqualTo(401);
    assertThat(anonymous.post("/api/plays", new JsonObject().put("songId", id(mp3))).status()).isEqualTo(401);
    assertThat(anonymous.get("/api/home").status()).isEqualTo(401);
  }

  @Test
  void deletingASongTakesItsStarsRatingsAndPlaysAlong(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = TestAudio.wav(Files.createDirectories(dir.resolve("Doomed Artist")).resolve("Doomed Song.wav"), 20_000, 1101);
    JsonObject doomed = admin.uploadSong(file);
    ApiClient alice = newListener();
    alice.put("/api/favourites/songs/" + id(doomed), new JsonObject());
    alice.put("/api/favourites/albums/" + doomed.getString("albumId"), new JsonObject());
    alice.put("/api/ratings/" + id(doomed), new JsonObject().put("rating", 1));
    alice.post("/api/plays", new JsonObject().put("songId", id(doomed)));
    alice.post("/api/plays", new JsonObject().put("songId", id(mp3)));
    assertThat(alice.get("/api/favourites/songs").json().getLong("total")).isEqualTo(1);

    assertThat(admin.delete("/api/songs/" + id(doomed)).status()).isEqualTo(204);

    assertThat(alice.get("/api/favourites/songs").json().getLong("total")).isZero();
    assertThat(alice.get("/api/favourites/albums").json().getLong("total")).as("its album went with its only song").isZero();
    assertThat(alice.get("/api/history").items().stream().map(o -> ((JsonObject) o).getJsonObject("song").getString("id")).toList())
        .containsExactly(id(mp3));
    assertThat(ids(alice.get("/api/home").json().getJsonArray("mostPlayed"))).containsExactly(id(mp3));
    assertRefused(alice.put("/api/ratings/" + id(doomed), new JsonObject().put("rating", 2)), 404, "no song with id");
  }

  @Test
  void deletingAListenerTakesTheirStarsRatingsAndPlaysAlong() throws Exception {
    String name = "leaving" + USERS.incrementAndGet();
    String userId = admin.post("/api/users", new JsonObject().put("username", name).put("password", PASSWORD).put("role", "listener"))
        .json().getString("id");
    ApiClient leaving = new ApiClient(node).login(name, PASSWORD);
    leaving.put("/api/favourites/songs/" + id(mp3), new JsonObject());
    leaving.put("/api/favourites/albums/" + mp3.getString("albumId"), new JsonObject());
    leaving.put("/api/favourites/artists/" + mp3.getString("artistId"), new JsonObject());
    leaving.put("/api/ratings/" + id(mp3), new JsonObject().put("rating", 3));
    leaving.post("/api/plays", new JsonObject().put("songId", id(mp3)));
    assertThat(rowsOf(userId)).as("a star of each kind, a rating, a play and its song's and album's counts").isEqualTo(7);

    assertThat(admin.delete("/api/users/" + userId).status()).isEqualTo(204);

    assertThat(rowsOf(userId)).isZero();
  }

  /** The user's rows in the seven tables, read straight from the node's database. */
  private static long rowsOf(String userId) throws Exception {
    String sql = "SELECT (SELECT count(*) FROM favourite_songs WHERE user_id = ?::uuid) + (SELECT count(*) FROM favourite_albums WHERE user_id = ?::uuid)"
        + " + (SELECT count(*) FROM favourite_artists WHERE user_id = ?::uuid) + (SELECT count(*) FROM ratings WHERE user_id = ?::uuid)"
        + " + (SELECT count(*) FROM plays WHERE user_id = ?::uuid) + (SELECT count(*) FROM play_counts WHERE user_id = ?::uuid)"
        + " + (SELECT count(*) FROM album_play_counts WHERE user_id = ?::uuid)";
    try (var c = java.sql.DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); var statement = c.prepareStatement(sql)) {
      for (int i = 1; i <= 7; i++) {
        statement.setString(i, userId);
      }
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void assertRefused(Reply reply, int status, String message) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.json().getString("error")).contains(message);
  }

  private static String id(JsonObject o) {
    return o.getString("id");
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject find(JsonArray items, String id) {
    return items.stream().map(o -> (JsonObject) o).filter(o -> id.equals(o.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + id + " in " + items.encode()));
  }
}
