package io.dspot.subsonic;

import static io.dspot.subsonic.SubsonicClient.errorCode;
import static io.dspot.subsonic.SubsonicClient.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's own library through the Subsonic API, over real HTTP against a real node: stars,
 * ratings, scrobbles and now-playing, genres, and the personal album lists; each test as a fresh
 * listener so one's marks never leak into another's lists.
 */
class SubsonicUserLibraryTest {

  private static final AtomicInteger listeners = new AtomicInteger();

  @TempDir
  static Path tmp;
  private static TestNode node;
  private static ApiClient admin;
  private static JsonObject harbour;
  private static JsonObject wind;
  private static JsonObject copper;
  private static JsonObject ember;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    harbour = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("quiet-harbour.mp3"), new TaggedSongs.Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", null)));
    wind = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("north-wind.mp3"), new TaggedSongs.Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", null)));
    copper = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper-sky.mp3"), new TaggedSongs.Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", null)));
    ember = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("ember.mp3"), new TaggedSongs.Tags("Ember", "Ada Frost", "Kiln", 1, 1998, "Jazz", null)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A listener logged in to the web API and to the Subsonic API with their app password. */
  private record Listener(ApiClient web, SubsonicClient app) {}

  /** A new listener with an app password: nobody else's stars or plays in their answers. */
  private static SubsonicClient newListener() {
    return newWebListener().app;
  }

  private static Listener newWebListener() {
    String name = "listener" + listeners.incrementAndGet();
    String password = name + "-account-password";
    assertThat(admin.post("/api/users", new JsonObject().put("username", name).put("password", password).put("role", "listener")).status())
        .isEqualTo(201);
    ApiClient login = new ApiClient(node).login(name, password);
    JsonObject set = login.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", password)).json();
    return new Listener(login, new SubsonicClient(new ApiClient(node), name, set.getString("password")));
  }

  private static String song(JsonObject s) {
    return "tr-" + s.getString("id");
  }

  private static String album(JsonObject s) {
    return "al-" + s.getString("albumId");
  }

  private static String artist(JsonObject s) {
    return "ar-" + s.getString("artistId");
  }

  private static JsonObject get(SubsonicClient app, String method, String params, String key) {
    return response(app.json(method, params)).getJsonObject(key);
  }

  private static List<String> ids(JsonObject list, String child) {
    JsonArray items = list.getJsonArray(child);
    return items == null ? List.of() : items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static void sameInXmlAndJson(SubsonicClient app, String method, String params) throws Exception {
    Object xml = XmlTree.withoutClock(XmlTree.fromXml(app.get(method, params).body()));
    Object json = XmlTree.withoutClock(XmlTree.fromJson(response(app.json(method, params))));
    assertThat(xml).as("%s?%s", method, params).isEqualTo(json);
  }

  @Test
  void starredSongsAlbumsAndArtistsAreListedWithTheirTimeUntilUnstarred() throws Exception {
    SubsonicClient app = newListener();
    assertThat(response(app.json("star", "id=" + song(harbour) + "&id=" + song(copper) + "&albumId=" + album(harbour) + "&artistId=" + artist(ember)))
        .getString("status")).isEqualTo("ok");
    JsonObject starred = get(app, "getStarred2", "", "starred2");
    assertThat(ids(starred, "song")).containsExactlyInAnyOrder(song(harbour), song(copper));
    assertThat(ids(starred, "album")).containsExactly(album(harbour));
    assertThat(ids(starred, "artist")).containsExactly(artist(ember));
    String at = starred.getJsonArray("song").getJsonObject(0).getString("starred");
    assertThat(Instant.parse(at)).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.MINUTES));
    assertThat(get(app, "getSong", "id=" + song(harbour), "song").getString("starred")).isNotNull();
    assertThat(get(app, "getAlbum", "id=" + album(harbour), "album").getString("starred")).isNotNull();
    assertThat(get(app, "getArtist", "id=" + artist(ember), "artist").getString("starred")).isNotNull();
    assertThat(ids(get(app, "getStarred", "", "starred"), "album")).containsExactly(album(harbour));
    assertThat(ids(get(app, "getAlbumList2", "type=starred", "albumList2"), "album")).containsExactly(album(harbour));
    sameInXmlAndJson(app, "getStarred", "");
    sameInXmlAndJson(app, "getStarred2", "");
    sameInXmlAndJson(app, "getAlbumList2", "type=starred");

    // Another listener sees none of it.
    SubsonicClient other = newListener();
    assertThat(ids(get(other, "getStarred2", "", "starred2"), "song")).isEmpty();
    assertThat(get(other, "getSong", "id=" + song(harbour), "song").getString("starred")).isNull();

    response(app.json("unstar", "id=" + song(copper) + "&albumId=" + album(harbour) + "&artistId=" + artist(ember)));
    starred = get(app, "getStarred2", "", "starred2");
    assertThat(ids(starred, "song")).containsExactly(song(harbour));
    assertThat(ids(starred, "album")).isEmpty();
    assertThat(ids(starred, "artist")).isEmpty();
    assertThat(get(app, "getSong", "id=" + song(copper), "song").getString("starred")).isNull();
  }

  @Test
  void starRefusesUnknownAndWrongKindIdsAndStarsNothingThen() throws Exception {
    SubsonicClient app = newListener();
    String unknown = "tr-00000000-0000-0000-0000-000000000000";
    assertThat(errorCode(app.json("star", ""))).isEqualTo(10);
    assertThat(errorCode(app.json("star", "id=" + song(wind) + "&id=" + unknown))).isEqualTo(70);
    assertThat(errorCode(app.json("star", "albumId=" + song(wind)))).isEqualTo(70);
    assertThat(errorCode(app.json("star", "artistId=" + album(wind)))).isEqualTo(70);
    assertThat(errorCode(app.json("star", "id=pl-" + harbour.getString("id")))).isEqualTo(70);
    assertThat(errorCode(app.json("star", "id=nonsense"))).isEqualTo(70);
    assertThat(errorCode(app.json("unstar", "id=" + unknown))).isEqualTo(70);
    JsonObject starred = get(app, "getStarred2", "", "starred2");
    assertThat(ids(starred, "song")).isEmpty();
    assertThat(ids(starred, "album")).isEmpty();
    assertThat(ids(starred, "artist")).isEmpty();
  }

  @Test
  void aRatingShowsAsUserRatingAndZeroClearsIt() throws Exception {
    SubsonicClient app = newListener();
    response(app.json("setRating", "id=" + song(wind) + "&rating=4"));
    assertThat(get(app, "getSong", "id=" + song(wind), "song").getInteger("userRating")).isEqualTo(4);
    assertThat(ids(get(app, "getAlbumList2", "type=highest", "albumList2"), "album")).containsExactly(album(wind));
    sameInXmlAndJson(app, "getAlbumList2", "type=highest");
    assertThat(errorCode(app.json("setRating", "id=" + song(wind) + "&rating=6"))).isZero();
    assertThat(errorCode(app.json("setRating", "id=" + song(wind) + "&rating=-1"))).isZero();
    assertThat(errorCode(app.json("setRating", "id=" + song(wind) + "&rating=four"))).isZero();
    assertThat(errorCode(app.json("setRating", "id=" + song(wind)))).isEqualTo(10);
    assertThat(errorCode(app.json("setRating", "rating=3"))).isEqualTo(10);
    assertThat(errorCode(app.json("setRating", "id=" + album(wind) + "&rating=3"))).isEqualTo(70);
    assertThat(errorCode(app.json("setRating", "id=tr-00000000-0000-0000-0000-000000000000&rating=3"))).isEqualTo(70);
    assertThat(get(app, "getSong", "id=" + song(wind), "song").getInteger("userRating")).isEqualTo(4);
    response(app.json("setRating", "id=" + song(wind) + "&rating=0"));
    assertThat(get(app, "getSong", "id=" + song(wind), "song").containsKey("userRating")).isFalse();
    assertThat(ids(get(app, "getAlbumList2", "type=highest", "albumList2"), "album")).isEmpty();
  }

  @Test
  void scrobbledPlaysCountAndFillTheFrequentAndRecentLists() throws Exception {
    SubsonicClient app = newListener();
    long earlier = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
    response(app.json("scrobble", "id=" + song(copper) + "&time=" + earlier));
    response(app.json("scrobble", "id=" + song(copper) + "&submission=true"));
    response(app.json("scrobble", "id=" + song(ember)));
    JsonObject played = get(app, "getSong", "id=" + song(copper), "song");
    assertThat(played.getLong("playCount")).isEqualTo(2);
    assertThat(Instant.parse(played.getString("played"))).isAfter(Instant.ofEpochMilli(earlier));
    assertThat(ids(get(app, "getAlbumList2", "type=frequent", "albumList2"), "album")).containsExactly(album(copper), album(ember));
    assertThat(ids(get(app, "getAlbumList2", "type=recent", "albumList2"), "album")).containsExactly(album(ember), album(copper));
    JsonObject foundry = get(app, "getAlbumList2", "type=frequent", "albumList2").getJsonArray("album").getJsonObject(0);
    assertThat(foundry.getLong("playCount")).isEqualTo(2);
    assertThat(ids(get(app, "getAlbumList", "type=frequent", "albumList"), "album")).containsExactly(album(copper), album(ember));
    sameInXmlAndJson(app, "getAlbumList2", "type=frequent");
    sameInXmlAndJson(app, "getAlbumList", "type=recent");

    // A play at a time long past is history, not the most recent.
    SubsonicClient late = newListener();
    long yesterday = Instant.now().minus(1, ChronoUnit.DAYS).toEpochMilli();
    response(late.json("scrobble", "id=" + song(harbour) + "&time=" + yesterday));
    response(late.json("scrobble", "id=" + song(ember)));
    assertThat(ids(get(late, "getAlbumList2", "type=recent", "albumList2"), "album")).containsExactly(album(ember), album(harbour));
    assertThat(Instant.parse(get(late, "getSong", "id=" + song(harbour), "song").getString("played")))
        .isCloseTo(Instant.ofEpochMilli(yesterday), org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
  }

  @Test
  void scrobbleRefusesBadInputAndRecordsNoneOfAPartlyBadCall() throws Exception {
    SubsonicClient app = newListener();
    assertThat(errorCode(app.json("scrobble", ""))).isEqualTo(10);
    assertThat(errorCode(app.json("scrobble", "id=" + song(wind) + "&id=tr-00000000-0000-0000-0000-000000000000"))).isEqualTo(70);
    assertThat(errorCode(app.json("scrobble", "id=" + album(wind)))).isEqualTo(70);
    assertThat(errorCode(app.json("scrobble", "id=" + song(wind) + "&time=yesterday"))).isZero();
    assertThat(errorCode(app.json("scrobble", "id=" + song(wind) + "&time=" + (System.currentTimeMillis() + 86_400_000L)))).isZero();
    assertThat(errorCode(app.json("scrobble", "id=" + song(wind) + "&id=" + song(ember) + "&time=1"))).isZero();
    assertThat(get(app, "getSong", "id=" + song(wind), "song").getLong("playCount")).isZero();
    assertThat(ids(get(app, "getAlbumList2", "type=recent", "albumList2"), "album")).isEmpty();
  }

  @Test
  void aScrobbleThatIsNoSubmissionShowsInNowPlaying() throws Exception {
    SubsonicClient app = newListener();
    String name = app.query("").split("&")[0].substring(2);
    response(app.json("scrobble", "submission=false&id=" + song(ember)));
    JsonArray entries = get(app, "getNowPlaying", "", "nowPlaying").getJsonArray("entry");
    JsonObject mine = entries.stream().map(o -> (JsonObject) o).filter(e -> e.getString("username").equals(name)).findFirst().orElseThrow();
    assertThat(mine.getString("id")).isEqualTo(song(ember));
    assertThat(mine.getString("playerName")).as("the c parameter").isEqualTo("dspot-test");
    assertThat(mine.getLong("minutesAgo")).isZero();
    // Everyone sees who plays what; nothing was recorded as a play.
    SubsonicClient other = newListener();
    assertThat(get(other, "getNowPlaying", "", "nowPlaying").getJsonArray("entry").stream()
        .anyMatch(o -> ((JsonObject) o).getString("username").equals(name))).isTrue();
    assertThat(get(app, "getSong", "id=" + song(ember), "song").getLong("playCount")).isZero();
    assertThat(errorCode(app.json("scrobble", "submission=false&id=tr-00000000-0000-0000-0000-000000000000"))).isEqualTo(70);
    sameInXmlAndJson(app, "getNowPlaying", "");
  }

  @Test
  void genresListTheirSongsAndAlbumsAndAlbumListsFilterByGenreAndYears() throws Exception {
    SubsonicClient app = newListener();
    JsonArray genres = get(app, "getGenres", "", "genres").getJsonArray("genre");
    JsonObject folk = genres.stream().map(o -> (JsonObject) o).filter(g -> "Folk".equals(g.getString("value"))).findFirst().orElseThrow();
    assertThat(folk.getLong("songCount")).isEqualTo(2);
    assertThat(folk.getLong("albumCount")).isEqualTo(1);
    sameInXmlAndJson(app, "getGenres", "");
    assertThat(ids(get(app, "getSongsByGenre", "genre=folk", "songsByGenre"), "song")).containsExactlyInAnyOrder(song(harbour), song(wind));
    assertThat(ids(get(app, "getSongsByGenre", "genre=Folk&count=1&offset=1", "songsByGenre"), "song")).hasSize(1);
    assertThat(ids(get(app, "getSongsByGenre", "genre=Polka", "songsByGenre"), "song")).isEmpty();
    sameInXmlAndJson(app, "getSongsByGenre", "genre=Folk");
    assertThat(errorCode(app.json("getSongsByGenre", ""))).isEqualTo(10);
    assertThat(errorCode(app.json("getSongsByGenre", "genre=Folk&count=lots"))).isZero();

    assertThat(ids(get(app, "getAlbumList2", "type=byGenre&genre=rock", "albumList2"), "album")).containsExactly(album(copper));
    assertThat(errorCode(app.json("getAlbumList2", "type=byGenre"))).isEqualTo(10);
    assertThat(ids(get(app, "getAlbumList2", "type=byYear&fromYear=1990&toYear=2020", "albumList2"), "album"))
        .containsExactly(album(ember), album(harbour));
    assertThat(ids(get(app, "getAlbumList2", "type=byYear&fromYear=2030&toYear=1990", "albumList2"), "album"))
        .containsExactly(album(copper), album(harbour), album(ember));
    sameInXmlAndJson(app, "getAlbumList2", "type=byYear&fromYear=2030&toYear=1990");
    sameInXmlAndJson(app, "getAlbumList", "type=byGenre&genre=Jazz");
    assertThat(errorCode(app.json("getAlbumList2", "type=byYear&fromYear=1990"))).isEqualTo(10);
    assertThat(errorCode(app.json("getAlbumList2", "type=byYear&fromYear=1990&toYear=soon"))).isZero();
  }

  @Test
  void aSavedPlayQueueIsReadBackByTheAppAndTheWebPlayer() throws Exception {
    Listener me = newWebListener();
    SubsonicClient app = me.app;
    assertThat(response(app.json("getPlayQueue", "")).containsKey("playQueue")).as("nothing saved yet").isFalse();
    assertThat(me.web.get("/api/playqueue").json().getJsonArray("songs")).isEmpty();
    response(app.json("savePlayQueue", "id=" + song(harbour) + "&id=" + song(copper) + "&id=" + song(harbour) + "&current=" + song(copper)
        + "&position=12345"));
    JsonObject queue = get(app, "getPlayQueue", "", "playQueue");
    assertThat(ids(queue, "entry")).containsExactly(song(harbour), song(copper), song(harbour));
    assertThat(queue.getString("current")).isEqualTo(song(copper));
    assertThat(queue.getLong("position")).isEqualTo(12345);
    assertThat(queue.getString("changedBy")).isEqualTo("dspot-test");
    assertThat(Instant.parse(queue.getString("changed"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.MINUTES));
    sameInXmlAndJson(app, "getPlayQueue", "");

    JsonObject web = me.web.get("/api/playqueue").json();
    assertThat(web.getJsonArray("songs").stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .containsExactly(harbour.getString("id"), copper.getString("id"), harbour.getString("id"));
    assertThat(web.getString("current")).isEqualTo(copper.getString("id"));
    assertThat(web.getLong("position")).isEqualTo(12345);

    ApiClient.Reply saved = me.web.put("/api/playqueue", new JsonObject().put("songIds", new JsonArray().add(ember.getString("id")))
        .put("current", ember.getString("id")).put("position", 500));
    assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    queue = get(app, "getPlayQueue", "", "playQueue");
    assertThat(ids(queue, "entry")).containsExactly(song(ember));
    assertThat(queue.getString("changedBy")).isEqualTo("web player");
    assertThat(queue.getLong("position")).isEqualTo(500);

    // Another listener has a queue of their own.
    assertThat(response(newListener().json("getPlayQueue", "")).containsKey("playQueue")).isFalse();
    // No id clears it.
    response(app.json("savePlayQueue", ""));
    assertThat(get(app, "getPlayQueue", "", "playQueue").getJsonArray("entry")).isEmpty();
  }

  @Test
  void savingAPlayQueueRefusesBadInputAndKeepsTheQueueThen() {
    Listener me = newWebListener();
    SubsonicClient app = me.app;
    response(app.json("savePlayQueue", "id=" + song(wind) + "&current=" + song(wind) + "&position=7"));
    String unknown = "tr-00000000-0000-0000-0000-000000000000";
    assertThat(errorCode(app.json("savePlayQueue", "id=" + song(wind) + "&id=" + unknown))).isEqualTo(70);
    assertThat(errorCode(app.json("savePlayQueue", "id=" + album(wind)))).isEqualTo(70);
    assertThat(errorCode(app.json("savePlayQueue", "id=" + song(wind) + "&current=" + song(ember)))).isZero();
    assertThat(errorCode(app.json("savePlayQueue", "id=" + song(wind) + "&position=-5"))).isZero();
    assertThat(errorCode(app.json("savePlayQueue", "id=" + song(wind) + "&position=soon"))).isZero();
    JsonArray bodies = new JsonArray()
        .add(new JsonObject().put("songIds", "not a list"))
        .add(new JsonObject())
        .add(new JsonObject().put("songIds", new JsonArray().add("nope")))
        .add(new JsonObject().put("songIds", new JsonArray().add(wind.getString("id"))).put("position", -1))
        .add(new JsonObject().put("songIds", new JsonArray().add(wind.getString("id"))).put("position", "later"))
        .add(new JsonObject().put("songIds", new JsonArray().add(wind.getString("id"))).put("current", ember.getString("id")))
        .add(new JsonObject().put("songIds", new JsonArray().add(wind.getString("id"))).put("changedBy", 42));
    for (Object body : bodies) {
      ApiClient.Reply r = me.web.put("/api/playqueue", (JsonObject) body);
      assertThat(r.status()).as("%s → %s", body, r.text()).isEqualTo(400);
      assertThat(r.json().getString("error")).isNotBlank();
    }
    ApiClient.Reply missing = me.web.put("/api/playqueue", new JsonObject().put("songIds", new JsonArray().add(unknown.substring(3))));
    assertThat(missing.status()).as(missing.text()).isEqualTo(404);
    JsonObject queue = get(app, "getPlayQueue", "", "playQueue");
    assertThat(ids(queue, "entry")).containsExactly(song(wind));
    assertThat(queue.getLong("position")).isEqualTo(7);
  }
}
