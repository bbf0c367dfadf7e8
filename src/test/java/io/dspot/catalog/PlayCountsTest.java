package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.ApplyAgain;
import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TaggedSongs.Tags;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Play counts kept as plays are recorded (PlayCounts, V11), on a real node: most played and the
 * frequent/recent album lists in the order of each listener's own plays, a play event applied
 * twice counted once, a deleted song out of the counts and its album recounted. And the history
 * with many plays (UserLibrarySql.HISTORY, V13's play_totals): pages newest first (ties by play
 * id) of the caller's plays only, a total of every play kept by triggers however plays come and go
 * (the applier, rows written straight into the table, a song's deletion), each song with the
 * caller's marks as /api/songs/{id} shows them.
 */
class PlayCountsTest {

  private static final String PASSWORD = "listener-password";
  private static final AtomicInteger USERS = new AtomicInteger();
  /** More than a page of the largest size (500), and above PageTotal's 1,000: the total stays exact. */
  private static final int MANY = 1_203;

  @TempDir
  static Path tmp;
  private static TestNode node;
  private static ApiClient admin;
  /** Harbour and Wind share the album Lanterns; Copper is alone on Foundry. */
  private static JsonObject harbour;
  private static JsonObject wind;
  private static JsonObject copper;

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    harbour = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("harbour.mp3"), new Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
    wind = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("wind.mp3"), new Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", null)));
    copper = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper.mp3"), new Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", null)));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private record Listener(String id, ApiClient web) {}

  private static Listener newListener() {
    String name = "counted" + USERS.incrementAndGet();
    Reply r = admin.post("/api/users", new JsonObject().put("username", name).put("password", PASSWORD).put("role", "listener"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return new Listener(r.json().getString("id"), new ApiClient(node).login(name, PASSWORD));
  }

  @Test
  void mostPlayedAndFrequentAlbumsAreEachListenersOwnInTheOrderOfTheirPlays() {
    Listener alice = newListener();
    Listener bob = newListener();
    play(alice, harbour, harbour, harbour, copper, copper, wind);
    play(bob, wind, wind, harbour);

    JsonArray aliceMost = alice.web.get("/api/home").json().getJsonArray("mostPlayed");
    assertThat(ids(aliceMost)).containsExactly(id(harbour), id(copper), id(wind));
    assertThat(counts(aliceMost)).containsExactly(3L, 2L, 1L);
    JsonArray bobMost = bob.web.get("/api/home").json().getJsonArray("mostPlayed");
    assertThat(ids(bobMost)).containsExactly(id(wind), id(harbour));
    assertThat(counts(bobMost)).containsExactly(2L, 1L);

    // Lanterns: alice 4 plays (harbour 3 + wind 1), bob 3; Foundry: alice 2. Alice last played wind (Lanterns).
    JsonArray aliceFrequent = albums(alice, "frequent");
    assertThat(ids(aliceFrequent)).containsExactly(harbour.getString("albumId"), copper.getString("albumId"));
    assertThat(counts(aliceFrequent)).containsExactly(4L, 2L);
    assertThat(counts(albums(bob, "frequent"))).containsExactly(3L);
    assertThat(ids(albums(alice, "recent"))).containsExactly(harbour.getString("albumId"), copper.getString("albumId"));
    assertThat(ids(alice.web.get("/api/home").json().getJsonArray("recentlyPlayed")))
        .containsExactly(harbour.getString("albumId"), copper.getString("albumId"));

    // A play sent late (an offline phone's scrobble) counts, but is not the last play: copper now
    // ties harbour at 3 plays and comes first because its last play is later than harbour's.
    Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
    recordPlay(alice, copper, yesterday);
    JsonArray after = alice.web.get("/api/home").json().getJsonArray("mostPlayed");
    assertThat(ids(after)).containsExactly(id(copper), id(harbour), id(wind));
    assertThat(counts(after)).containsExactly(3L, 3L, 1L);
    assertThat(Instant.parse(after.getJsonObject(0).getString("lastPlayed"))).isAfter(yesterday.plus(1, ChronoUnit.HOURS));
    assertThat(ids(albums(alice, "recent"))).as("the late play does not make Foundry the latest")
        .containsExactly(harbour.getString("albumId"), copper.getString("albumId"));
  }

  @Test
  void aPlayEventAppliedAgainCountsNothing() throws Exception {
    Listener carol = newListener();
    play(carol, copper);
    String before = CatalogDigest.of(node);
    JsonObject payload = new JsonObject(string("SELECT payload::text FROM outbox WHERE event_type = 'play.recorded'"
        + " AND payload->>'userId' = '" + carol.id + "' ORDER BY seq DESC LIMIT 1"));

    ApplyAgain.on(node, tx -> UserLibraryEvents.applyPlay(tx, payload));

    assertThat(CatalogDigest.of(node)).isEqualTo(before);
    assertThat(counts(carol.web.get("/api/home").json().getJsonArray("mostPlayed"))).containsExactly(1L);
    assertThat(counts(albums(carol, "frequent"))).containsExactly(1L);
    assertThat(carol.web.get("/api/history").json().getLong("total")).isEqualTo(1);
  }

  @Test
  void deletingASongTakesItOutOfTheCountsAndRecountsItsAlbum() {
    JsonObject first = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("doomed-1.mp3"), new Tags("Doomed One", "Ada Frost", "Short Lived", 1, 2001, "Jazz", null)));
    JsonObject second = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("doomed-2.mp3"), new Tags("Doomed Two", "Ada Frost", "Short Lived", 2, 2001, "Jazz", null)));
    Listener dave = newListener();
    play(dave, second, first, first, first);
    assertThat(counts(albums(dave, "frequent"))).containsExactly(4L);
    String lastOfSecond = dave.web.get("/api/songs/" + id(second)).json().getString("lastPlayed");

    assertThat(admin.delete("/api/songs/" + id(first)).status()).isEqualTo(204);

    JsonArray most = dave.web.get("/api/home").json().getJsonArray("mostPlayed");
    assertThat(ids(most)).containsExactly(id(second));
    JsonArray frequent = albums(dave, "frequent");
    assertThat(counts(frequent)).as("the album counts the plays of the song left").containsExactly(1L);
    assertThat(frequent.getJsonObject(0).getString("lastPlayed")).isEqualTo(lastOfSecond);

    assertThat(admin.delete("/api/songs/" + id(second)).status()).isEqualTo(204);
    assertThat(dave.web.get("/api/home").json().getJsonArray("mostPlayed")).isEmpty();
    assertThat(albums(dave, "frequent")).as("the album went with its last song").isEmpty();
  }

  @Test
  void historyOfManyPlaysPagesNewestFirstWithAnExactTotalAndTheCallersMarks() throws Exception {
    Listener alice = newListener();
    Listener bob = newListener();
    // Through the API: counted in play_counts too, so the songs carry play counts and a last play.
    play(alice, harbour, copper);
    assertThat(alice.web.put("/api/favourites/songs/" + id(copper), new JsonObject()).status()).isIn(200, 201);
    assertThat(alice.web.put("/api/ratings/" + id(harbour), new JsonObject().put("rating", 4)).status()).isEqualTo(200);
    // Straight into the table, as an old library or a bulk load: pairs of plays at the same time (order by id).
    insertPlays(alice, MANY - 2);
    insertPlays(bob, 7);

    List<String> expected = strings("SELECT id::text FROM plays WHERE user_id = '" + alice.id + "' ORDER BY played_at DESC, id");
    assertThat(expected).hasSize(MANY);
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < MANY; offset += 500) {
      Reply page = alice.web.get("/api/history?limit=500&offset=" + offset);
      assertThat(page.status()).as(page.text()).isEqualTo(200);
      assertThat(page.json().getLong("total")).isEqualTo(MANY);
      assertThat(page.json().getInteger("offset")).isEqualTo(offset);
      page.items().forEach(o -> paged.add(((JsonObject) o).getString("id")));
    }
    assertThat(paged).isEqualTo(expected);

    Reply past = alice.web.get("/api/history?offset=5000");
    assertThat(past.items()).isEmpty();
    assertThat(past.json().getLong("total")).as("a page past the end still tells the total").isEqualTo(MANY);
    assertThat(bob.web.get("/api/history").json().getLong("total")).isEqualTo(7);

    // Each song as /api/songs/{id} shows it to the caller: the same fields, marks and order of keys.
    for (Object o : alice.web.get("/api/history?limit=500").items()) {
      JsonObject song = ((JsonObject) o).getJsonObject("song");
      JsonObject alone = alice.web.get("/api/songs/" + song.getString("id")).json();
      assertThat(song.encode()).isEqualTo(alone.encode());
    }
    JsonObject copperAlone = alice.web.get("/api/songs/" + id(copper)).json();
    assertThat(copperAlone.getBoolean("starred")).isTrue();
    assertThat(copperAlone.getLong("playCount")).isEqualTo(1);
    assertThat(alice.web.get("/api/songs/" + id(harbour)).json().getInteger("rating")).isEqualTo(4);
  }

  @Test
  void historyTotalFollowsPlaysRecordedAndSongsDeleted() throws Exception {
    Listener carol = newListener();
    JsonObject doomed = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("doomed.mp3"), new Tags("Doomed", "Ada Frost", "Short Lived", 1, 2001, "Jazz", null)));
    play(carol, doomed, wind, doomed);
    assertThat(total(carol)).isEqualTo(3);
    execute("INSERT INTO plays (id, user_id, song_id, played_at) SELECT gen_random_uuid(), '" + carol.id + "', '" + id(doomed)
        + "', now() - make_interval(secs => i) FROM generate_series(1, 4) i");
    assertThat(total(carol)).isEqualTo(7);

    assertThat(admin.delete("/api/songs/" + id(doomed)).status()).isEqualTo(204);

    assertThat(total(carol)).as("the deleted song's six plays went with it").isEqualTo(1);
    JsonArray items = carol.web.get("/api/history").items();
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getJsonObject("song").getString("id")).isEqualTo(id(wind));
  }

  @Test
  void historyRefusesBadPaging() {
    Listener dan = newListener();
    for (String query : List.of("limit=abc", "limit=0", "limit=501", "limit=-1", "offset=-1", "offset=1e3", "limit=9999999999999")) {
      Reply r = dan.web.get("/api/history?" + query);
      assertThat(r.status()).as(query + ": " + r.text()).isEqualTo(400);
      assertThat(r.json().getString("error")).as(query).containsAnyOf("limit", "offset");
    }
  }

  private static void play(Listener who, JsonObject... songs) {
    for (JsonObject song : songs) {
      Reply r = who.web.post("/api/plays", new JsonObject().put("songId", id(song)));
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  /** What a Subsonic scrobble with {@code time} sends: the catalog's front door, as the Subsonic module calls it. */
  private static void recordPlay(Listener who, JsonObject song, Instant at) {
    node.vertx().eventBus().request(CatalogAddresses.PLAY_RECORD,
        new JsonObject().put("callerId", who.id).put("songId", id(song)).put("playedAt", at.toEpochMilli())).await();
  }

  /** The album list Subsonic's getAlbumList2 asks for. */
  private static JsonArray albums(Listener who, String order) {
    JsonObject page = (JsonObject) node.vertx().eventBus().request(CatalogAddresses.ALBUM_BROWSE,
        new JsonObject().put("order", order).put("callerId", who.id).put("limit", 50)).await().body();
    return page.getJsonArray("items");
  }

  private static String string(String sql) throws Exception {
    try (var c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** {@code n} plays of the three songs in turn, two a second going back from an hour ago. */
  private static void insertPlays(Listener who, int n) throws Exception {
    execute("INSERT INTO plays (id, user_id, song_id, played_at) SELECT gen_random_uuid(), '" + who.id + "', "
        + "(ARRAY['" + id(harbour) + "', '" + id(wind) + "', '" + id(copper) + "']::uuid[])[1 + i % 3], "
        + "now() - interval '1 hour' - make_interval(secs => i / 2) FROM generate_series(0, " + (n - 1) + ") i");
  }

  private static long total(Listener who) {
    return who.web.get("/api/history").json().getLong("total");
  }

  private static void execute(String sql) throws Exception {
    try (var c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); var s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> strings(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (var c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String id(JsonObject o) {
    return o.getString("id");
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static List<Long> counts(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getLong("playCount")).toList();
  }
}
