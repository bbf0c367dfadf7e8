package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Listeners' own playlists over HTTP on a real node: what the owner can do, what others cannot. */
class PlaylistApiTest {

  private static final String PASSWORD = "listener-password";

  private static TestNode node;
  private static ApiClient admin;
  private static ApiClient alice;
  private static ApiClient bob;
  private static String aliceId;
  private static String mp3;
  private static String flac;
  private static String ogg;

  @BeforeAll
  static void startNodeWithSongsAndListeners() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    mp3 = admin.uploadSong(ApiClient.fixture("tone.mp3")).getString("id");
    flac = admin.uploadSong(ApiClient.fixture("tone.flac")).getString("id");
    ogg = admin.uploadSong(ApiClient.fixture("tone.ogg")).getString("id");
    aliceId = createListener("alice");
    createListener("bob");
    alice = new ApiClient(node).login("alice", PASSWORD);
    bob = new ApiClient(node).login("bob", PASSWORD);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static String createListener(String username) {
    Reply r = admin.post("/api/users", new JsonObject().put("username", username).put("password", PASSWORD).put("role", "listener"));
    assertThat(r.status()).as("create %s → %s", username, r.text()).isEqualTo(201);
    assertThat(r.json().getString("username")).isEqualTo(username);
    assertThat(r.json().getString("role")).isEqualTo("listener");
    return r.json().getString("id");
  }

  @Test
  void listenerLogsInWithTheListenerRole() {
    JsonObject me = alice.get("/api/auth/me").json();

    assertThat(me.getString("id")).isEqualTo(aliceId);
    assertThat(me.getString("username")).isEqualTo("alice");
    assertThat(me.getString("role")).isEqualTo("listener");
  }

  // ---- the owner ----

  @Test
  void createdPlaylistKeepsItsSongsInTheGivenOrder() {
    Reply created = alice.post("/api/playlists", playlist("Road Trip", ogg, mp3, flac));

    assertThat(created.status()).isEqualTo(201);
    JsonObject p = created.json();
    assertThat(p.getString("name")).isEqualTo("Road Trip");
    assertThat(p.getString("owner")).isEqualTo(aliceId);
    assertThat(p.getLong("songCount")).isEqualTo(3);
    assertThat(songIds(p)).containsExactly(ogg, mp3, flac);

    Reply fetched = alice.get("/api/playlists/" + p.getString("id"));

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json().getString("name")).isEqualTo("Road Trip");
    assertThat(songIds(fetched.json())).containsExactly(ogg, mp3, flac);
    assertThat(titles(fetched.json())).containsExactly("Vorbis D587", "Sine A440", "Flac C523");
  }

  @Test
  void sameSongMayAppearTwiceInAPlaylist() {
    Reply created = alice.post("/api/playlists", playlist("On Repeat", mp3, flac, mp3));

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(songIds(alice.get("/api/playlists/" + created.json().getString("id")).json())).containsExactly(mp3, flac, mp3);
  }

  @Test
  void playlistWithoutSongsIsEmpty() {
    Reply created = alice.post("/api/playlists", new JsonObject().put("name", "Someday"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getLong("songCount")).isZero();
    assertThat(created.json().getJsonArray("songs")).isEmpty();
  }

  @Test
  void ownerRenamesAndReordersWithPut() {
    String id = create(alice, playlist("Draft", mp3, flac, ogg));

    Reply updated = alice.put("/api/playlists/" + id, playlist("Final", flac, ogg));

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getString("name")).isEqualTo("Final");
    assertThat(updated.json().getLong("songCount")).isEqualTo(2);
    assertThat(songIds(updated.json())).containsExactly(flac, ogg);
    JsonObject fetched = alice.get("/api/playlists/" + id).json();
    assertThat(fetched.getString("name")).isEqualTo("Final");
    assertThat(songIds(fetched)).containsExactly(flac, ogg);
  }

  @Test
  void putWithOnlyANameKeepsTheSongs() {
    String id = create(alice, playlist("Before", ogg, mp3));

    Reply updated = alice.put("/api/playlists/" + id, new JsonObject().put("name", "After"));

    assertThat(updated.status()).isEqualTo(200);
    JsonObject fetched = alice.get("/api/playlists/" + id).json();
    assertThat(fetched.getString("name")).isEqualTo("After");
    assertThat(songIds(fetched)).containsExactly(ogg, mp3);
  }

  /** The PUT answers with the playlist as its write decided it, not a second read: it must be what a GET then shows. */
  @Test
  void putAnswersExactlyWhatAGetThenShows() {
    String withSongs = create(alice, playlist("Full", ogg, mp3));
    String empty = create(alice, new JsonObject().put("name", "Empty"));

    for (String id : List.of(withSongs, empty)) {
      Reply updated = alice.put("/api/playlists/" + id, new JsonObject().put("name", "Renamed " + id));

      assertThat(updated.status()).isEqualTo(200);
      assertThat(updated.json()).isEqualTo(alice.get("/api/playlists/" + id).json());
    }
    assertThat(alice.get("/api/playlists/" + withSongs).json().getLong("songCount")).isEqualTo(2);
  }

  /**
   * A burst of PUTs that the token holder commits in shared batches: renames of many playlists
   * (decided ahead together), two partial updates of each of a few playlists (the later one must
   * read the earlier one's write, or one change is lost: a batch decided wholly ahead would lose
   * one in every pair that shares a batch) and a PUT of someone else's playlist (refused alone,
   * the others commit). Five rounds, each changing every value.
   */
  @Test
  void aBurstOfUpdatesKeepsEveryChangeAndRefusesOnlyTheForeignOne() throws Exception {
    List<String> renamed = new ArrayList<>();
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      renamed.add(create(alice, playlist("Burst " + i, mp3)));
      shared.add(create(alice, playlist("Shared " + i, mp3, flac)));
    }
    createListener("carol");
    ApiClient carol = new ApiClient(node).login("carol", PASSWORD);
    String carols = create(carol, playlist("Carol's", ogg));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(renamed.size() + 2 * shared.size() + 1);
    try {
      for (int round = 0; round < 5; round++) {
        String suffix = " r" + round;
        List<String> songs = round % 2 == 0 ? List.of(ogg) : List.of(flac, ogg, mp3);
        List<java.util.concurrent.Callable<Reply>> puts = new ArrayList<>();
        puts.add(() -> alice.put("/api/playlists/" + carols, new JsonObject().put("name", "taken" + suffix)));
        for (int i = 0; i < shared.size(); i++) {
          String id = shared.get(i);
          String other = renamed.get(i);
          puts.add(() -> alice.put("/api/playlists/" + id, new JsonObject().put("songIds", new JsonArray(new ArrayList<>(songs)))));
          puts.add(() -> alice.put("/api/playlists/" + other, new JsonObject().put("name", "Renamed " + other + suffix)));
          puts.add(() -> alice.put("/api/playlists/" + id, new JsonObject().put("name", "Shared " + id + suffix)));
        }

        List<Reply> replies = new ArrayList<>();
        for (var answer : pool.invokeAll(puts)) {
          replies.add(answer.get());
        }

        assertThat(replies.get(0).status()).as("someone else's playlist").isEqualTo(404);
        assertThat(replies).extracting(Reply::status).filteredOn(status -> status != 200).hasSize(1);
        for (String id : renamed) {
          assertThat(alice.get("/api/playlists/" + id).json().getString("name")).isEqualTo("Renamed " + id + suffix);
        }
        for (String id : shared) {
          JsonObject both = alice.get("/api/playlists/" + id).json();
          assertThat(both.getString("name")).as("the rename, whichever came second").isEqualTo("Shared " + id + suffix);
          assertThat(songIds(both)).as("the new songs, whichever came second").containsExactlyElementsOf(songs);
        }
        assertThat(carol.get("/api/playlists/" + carols).json().getString("name")).isEqualTo("Carol's");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void putWithOnlySongsKeepsTheName() {
    String id = create(alice, playlist("Stays", ogg, mp3));

    Reply updated = alice.put("/api/playlists/" + id, new JsonObject().put("songIds", new JsonArray().add(mp3).add(ogg)));

    assertThat(updated.status()).isEqualTo(200);
    JsonObject fetched = alice.get("/api/playlists/" + id).json();
    assertThat(fetched.getString("name")).isEqualTo("Stays");
    assertThat(songIds(fetched)).containsExactly(mp3, ogg);
  }

  @Test
  void deletedPlaylistIsGone() {
    String id = create(alice, playlist("Short Lived", mp3));

    Reply deleted = alice.delete("/api/playlists/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(alice.get("/api/playlists/" + id).status()).isEqualTo(404);
    assertThat(alice.delete("/api/playlists/" + id).status()).isEqualTo(404);
    assertThat(playlistIds(alice)).doesNotContain(id);
    // The songs themselves are untouched.
    assertThat(alice.get("/api/songs/" + mp3).status()).isEqualTo(200);
  }

  @Test
  void ownersListShowsThePlaylistWithItsSongCount() {
    String id = create(alice, playlist("Listed", mp3, flac));

    JsonObject listed = playlists(alice).stream().filter(p -> p.getString("id").equals(id)).findFirst().orElseThrow();

    assertThat(listed.getString("name")).isEqualTo("Listed");
    assertThat(listed.getLong("songCount")).isEqualTo(2);
    assertThat(listed.getString("owner")).isEqualTo(aliceId);
  }

  // ---- someone else ----

  @Test
  void anotherListenerCannotSeeChangeOrDeleteThePlaylist() {
    String id = create(alice, playlist("Private Mix", mp3, flac));

    Reply seen = bob.get("/api/playlists/" + id);
    Reply changed = bob.put("/api/playlists/" + id, playlist("Hijacked", ogg));
    Reply deleted = bob.delete("/api/playlists/" + id);

    // The same answer as for a playlist that does not exist: its existence is none of bob's business.
    assertThat(List.of(seen, changed, deleted)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json()).isEqualTo(error("no playlist with id " + id));
    });
    assertThat(playlistIds(bob)).doesNotContain(id);
    JsonObject intact = alice.get("/api/playlists/" + id).json();
    assertThat(intact.getString("name")).isEqualTo("Private Mix");
    assertThat(songIds(intact)).containsExactly(mp3, flac);
  }

  @Test
  void anotherListenersListHoldsOnlyTheirOwnPlaylists() {
    create(alice, playlist("Alice Only", mp3));
    String bobsOwn = create(bob, playlist("Bob Only", flac));

    List<JsonObject> bobs = playlists(bob);

    assertThat(bobs).extracting(p -> p.getString("id")).containsExactly(bobsOwn);
    assertThat(playlistIds(alice)).doesNotContain(bobsOwn);
  }

  @Test
  void unknownPlaylistIdAnswers404AndMalformedOne400() {
    String unknown = UUID.randomUUID().toString();
    Reply missing = alice.get("/api/playlists/" + unknown);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json()).isEqualTo(error("no playlist with id " + unknown));

    long before = total(alice);
    List<Reply> malformed = List.of(alice.get("/api/playlists/not-a-uuid"),
        alice.put("/api/playlists/not-a-uuid", new JsonObject().put("name", "x")), alice.delete("/api/playlists/not-a-uuid"));
    assertThat(malformed).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json()).isEqualTo(error("malformed playlist id: not-a-uuid"));
    });
    assertThat(total(alice)).isEqualTo(before);
  }

  // ---- bad input ----

  @Test
  void playlistWithoutNameIsRefused() {
    long before = total(alice);

    Reply missing = alice.post("/api/playlists", new JsonObject().put("songIds", new JsonArray().add(mp3)));
    Reply blank = alice.post("/api/playlists", playlist("   ", mp3));
    Reply notText = alice.post("/api/playlists", new JsonObject().put("name", 42));

    assertThat(List.of(missing, blank, notText)).allSatisfy(r -> {
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.json()).isEqualTo(error("playlist name is required"));
    });
    assertThat(total(alice)).isEqualTo(before);
  }

  @Test
  void playlistWithUnknownSongIsRefusedAndNothingIsCreated() {
    long before = total(alice);
    String unknown = UUID.randomUUID().toString();

    Reply r = alice.post("/api/playlists", playlist("Ghost Songs", mp3, unknown));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error("no song with id " + unknown));
    assertThat(total(alice)).isEqualTo(before);
    assertThat(playlists(alice)).extracting(p -> p.getString("name")).doesNotContain("Ghost Songs");
  }

  @Test
  void putWithUnknownSongChangesNothing() {
    String id = create(alice, playlist("Keep Me", mp3, flac));
    String unknown = UUID.randomUUID().toString();

    Reply r = alice.put("/api/playlists/" + id, playlist("Broken", ogg, unknown));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error("no song with id " + unknown));
    JsonObject intact = alice.get("/api/playlists/" + id).json();
    assertThat(intact.getString("name")).isEqualTo("Keep Me");
    assertThat(songIds(intact)).containsExactly(mp3, flac);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "12345", "", "'; drop table playlists; --"})
  void playlistWithMalformedSongIdIsRefused(String badId) {
    long before = total(alice);

    Reply r = alice.post("/api/playlists", playlist("Malformed", mp3, badId));

    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error("malformed song id: " + badId));
    assertThat(total(alice)).isEqualTo(before);
  }

  @Test
  void songIdsThatAreNotAnArrayAreRefused() {
    long before = total(alice);

    Reply r = alice.post("/api/playlists", new JsonObject().put("name", "Odd").put("songIds", mp3));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error("songIds must be an array of song ids"));
    assertThat(total(alice)).isEqualTo(before);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "{not json          | the body is not a JSON object",
    "[\"a\", \"b\"]        | the body is not a JSON object",
    "\"just a string\"   | the body is not a JSON object",
    "``                 | a JSON object body is required",
    "null               | a JSON object body is required",
  })
  void bodyThatIsNotAJsonObjectIsRefused(String body, String error) {
    long before = total(alice);

    Reply r = alice.postRaw("/api/playlists", "application/json", body.getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).as("body %s → %s", body, r.text()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error(error));
    assertThat(total(alice)).isEqualTo(before);
  }

  @Test
  void nameWithNulCharacterIsRefusedAndNothingIsCreated() {
    long before = total(alice);

    Reply r = alice.post("/api/playlists", playlist("Nul\u0000Byte", mp3));

    // PostgreSQL text cannot hold NUL: the API refuses it up front rather than failing later.
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(error("the body contains a NUL character"));
    assertThat(total(alice)).isEqualTo(before);
  }

  // ---- what a listener may not do ----

  @Test
  void listenerCannotUploadSongs() {
    long blobs = node.blobCount();

    Reply r = alice.upload(ApiClient.fixture("tone.wav"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json()).isEqualTo(error("only an admin may do this"));
    assertThat(node.blobCount()).isEqualTo(blobs);
    assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(3);
  }

  @Test
  void uploadWithAnExpiredSessionIsAnswered401() {
    ApiClient loggedOut = new ApiClient(node).withToken("expired-session-token-" + "x".repeat(20));

    Reply r = loggedOut.upload(ApiClient.fixture("tone.wav"));

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json()).isEqualTo(error("session expired or logged out"));
  }

  @Test
  void listenerCannotDeleteSongs() {
    Reply r = alice.delete("/api/songs/" + mp3);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json()).isEqualTo(error("only an admin may do this"));
    assertThat(alice.get("/api/songs/" + mp3).status()).isEqualTo(200);
  }

  @Test
  void listenerCannotListOrCreateUsers() {
    Reply list = alice.get("/api/users");
    Reply create = alice.post("/api/users", new JsonObject().put("username", "mallory").put("password", PASSWORD).put("role", "admin"));

    assertThat(List.of(list, create)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json()).isEqualTo(error("only an admin may do this"));
    });
    assertThat(admin.get("/api/users").items()).extracting(u -> ((JsonObject) u).getString("username")).doesNotContain("mallory");
  }

  // ---- helpers ----

  /** The body of every refusal: {"error": message}. */
  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  private static JsonObject playlist(String name, String... songIds) {
    return new JsonObject().put("name", name).put("songIds", new JsonArray(List.of((Object[]) songIds)));
  }

  private static String create(ApiClient client, JsonObject body) {
    Reply r = client.post("/api/playlists", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static List<String> songIds(JsonObject playlist) {
    return songs(playlist).stream().map(s -> s.getString("id")).toList();
  }

  private static List<String> titles(JsonObject playlist) {
    return songs(playlist).stream().map(s -> s.getString("title")).toList();
  }

  private static List<JsonObject> songs(JsonObject playlist) {
    return objects(playlist.getJsonArray("songs"));
  }

  private static List<JsonObject> playlists(ApiClient client) {
    Reply r = client.get("/api/playlists?limit=500");
    assertThat(r.status()).isEqualTo(200);
    return objects(r.items());
  }

  private static List<String> playlistIds(ApiClient client) {
    return playlists(client).stream().map(p -> p.getString("id")).toList();
  }

  private static long total(ApiClient client) {
    return client.get("/api/playlists").json().getLong("total");
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getJsonObject(i));
    }
    return out;
  }
}
