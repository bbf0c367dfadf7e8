package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.TaggedLibrary;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Browsing a whole library over HTTP on a real node: the {@link TaggedLibrary}. */
class BrowseApiTest {

  static final int SONGS = TaggedLibrary.SONGS;

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient admin;

  @BeforeAll
  static void startNodeWithLibrary() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    TaggedLibrary.upload(admin, dir);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  // ---- filters ----

  @Test
  void genreFilterIgnoresCaseAndKeepsOnlyThatGenre() {
    JsonObject page = ok("/api/songs?genre=JAZZ&limit=500");

    assertThat(page.getLong("total")).isEqualTo(20);
    assertThat(strings(page.getJsonArray("items"), "genre")).hasSize(20)
        .allSatisfy(g -> assertThat(g.toLowerCase(Locale.ROOT)).isEqualTo("jazz"));
  }

  @Test
  void yearFilterKeepsOnlyThatYear() {
    JsonObject page = ok("/api/songs?year=1997&limit=500");

    assertThat(page.getLong("total")).isEqualTo(5);
    assertThat(page.getJsonArray("items")).allSatisfy(s -> assertThat(((JsonObject) s).getInteger("year")).isEqualTo(1997));
  }

  @Test
  void decadeFilterKeepsItsTenYears() {
    JsonObject nineties = ok("/api/songs?decade=1990&limit=500");
    JsonObject noughties = ok("/api/songs?decade=2000&limit=500");

    assertThat(nineties.getLong("total")).isEqualTo(50);
    assertThat(nineties.getJsonArray("items")).allSatisfy(s -> assertThat(((JsonObject) s).getInteger("year")).isBetween(1990, 1999));
    assertThat(noughties.getLong("total")).isEqualTo(10);
  }

  @Test
  void filtersCombine() {
    // 2000 and 2001 are i % 12 = 10 and 11, so i % 6 = 4 and 5: Ambient and Blues, five songs each.
    assertThat(ok("/api/songs?genre=ambient&decade=2000&limit=500").getLong("total")).isEqualTo(5);
    assertThat(ok("/api/songs?genre=rock&decade=2000&limit=500").getLong("total")).isZero();
  }

  @ParameterizedTest
  @CsvSource({"title,asc", "title,desc", "artist,asc", "artist,desc", "album,asc", "album,desc", "year,asc", "year,desc",
      "duration,asc", "duration,desc", "added,asc", "added,desc"})
  void sortOrdersEverySongByThatColumn(String sort, String order) {
    JsonArray items = ok("/api/songs?limit=500&sort=" + sort + "&order=" + order).getJsonArray("items");

    Comparator<JsonObject> by = Comparator.comparing(KEYS.get(sort));
    assertThat(items).hasSize(SONGS);
    assertThat(objects(items)).isSortedAccordingTo(order.equals("asc") ? by : by.reversed());
  }

  private static final java.util.Map<String, Function<JsonObject, Comparable<Object>>> KEYS = java.util.Map.of(
      "title", s -> key(s.getString("title").toLowerCase(Locale.ROOT)),
      "artist", s -> key(s.getString("artist").toLowerCase(Locale.ROOT)),
      "album", s -> key(s.getString("album").toLowerCase(Locale.ROOT)),
      "year", s -> key(s.getInteger("year")),
      "duration", s -> key(s.getDouble("duration")),
      "added", s -> key(s.getString("createdAt")));

  @SuppressWarnings("unchecked")
  private static Comparable<Object> key(Comparable<?> value) {
    return (Comparable<Object>) value;
  }

  @Test
  void likeWildcardsAndQuotesAreText() {
    assertThat(ok("/api/songs?genre=" + enc("%")).getLong("total")).isZero();
    assertThat(ok("/api/songs?genre=" + enc("Jazz' OR '1'='1")).getLong("total")).isZero();
    assertThat(ok("/api/songs?q=" + enc("%_")).getLong("total")).isZero();
    assertThat(ok("/api/search?q=" + enc("_")).getJsonArray("albums")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "_", "\\", "\\%", "%%%", "a%b", "'", "\"", "%_ \\ %", "Track%"})
  void searchWildcardsAndBackslashesAreTextInEveryGroup(String q) {
    JsonObject result = ok("/api/search?q=" + enc(q));

    assertThat(result.getJsonObject("songs").getJsonArray("items")).as(q).isEmpty();
    assertThat(result.getJsonObject("songs").getLong("total")).as(q).isZero();
    assertThat(result.getJsonArray("albums")).as(q).isEmpty();
    assertThat(result.getJsonArray("artists")).as(q).isEmpty();
  }

  @Test
  void aSearchLongerThanTheLimitIs400AndOneAtTheLimitIsAnswered() {
    Reply tooLong = admin.get("/api/search?q=" + "a".repeat(SongSearch.MAX_QUERY + 1));
    Reply atLimit = admin.get("/api/search?q=" + enc(("album " + "x".repeat(40) + " ").repeat(10).substring(0, SongSearch.MAX_QUERY)));

    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getString("error")).contains("longer than " + SongSearch.MAX_QUERY);
    assertThat(atLimit.status()).isEqualTo(200);
    assertThat(atLimit.json().getJsonArray("albums")).isEmpty();
  }

  @Test
  void titleSortDiffersFromTheNaturalOrder() {
    List<String> natural = strings(ok("/api/songs?limit=500").getJsonArray("items"), "title");
    List<String> byTitle = strings(ok("/api/songs?limit=500&sort=title").getJsonArray("items"), "title");

    assertThat(byTitle).isNotEqualTo(natural).containsExactlyInAnyOrderElementsOf(natural);
    assertThat(byTitle.get(0)).isEqualTo("Track 00");
  }

  @Test
  void albumAndArtistListsFilterByGenreAndYear() {
    assertThat(strings(admin.get("/api/albums?genre=rock").items(), "title")).containsExactlyInAnyOrder("Album 2", "Album 3");
    assertThat(strings(admin.get("/api/albums?year=1997").items(), "title")).containsExactly("Album 1");
    assertThat(strings(admin.get("/api/albums?decade=2000&genre=blues").items(), "title")).containsExactly("Album 5");
    assertThat(strings(admin.get("/api/artists?genre=blues").items(), "name")).containsExactly("Artist 2");
    assertThat(admin.get("/api/albums").json().getLong("total")).isEqualTo(6);
  }

  // ---- bad input ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/api/songs?sort=loudness|sort must be one of title, artist, album, year, duration, added",
      "/api/songs/ids?sort=loudness|sort must be one of title, artist, album, year, duration, added",
      "/api/songs?sort=title&order=sideways|order must be asc or desc",
      "/api/songs?year=nineteen|year must be a whole number",
      "/api/songs?year=12345|year must be between 0 and 9999",
      "/api/songs?decade=1995|decade must be a multiple of 10",
      "/api/songs?year=1997&decade=1990|give year or decade, not both",
      "/api/songs?artistId=42|malformed artist id",
      "/api/albums?year=-1|year must be between 0 and 9999",
      "/api/songs?ids=not-a-uuid|malformed song id",
      "/api/search?q=|query parameter 'q' is required",
      "/api/songs?after=not%20a%20cursor!|after is not a cursor this server gave",
      "/api/songs?after=eyJvIjoibmF0dXJhbCIsImsiOltdfQ|after is not a cursor this server gave",
      "/api/songs?after=eyJvIjoibmF0dXJhbCIsImsiOlsiYSIsImIiLG51bGwsbnVsbCwiYyIsIm5vdC1hLXV1aWQiXX0|after is not a cursor this server gave",
      "/api/songs?q=track&after=eyJvIjoibmF0dXJhbCIsImsiOltdfQ|after pages a list in a fixed order",
      "/api/songs?offset=5&after=eyJvIjoibmF0dXJhbCIsImsiOltdfQ|give after or offset, not both"})
  void badValuesAre400WithAMessage(String path, String message) {
    Reply r = admin.get(path);

    assertThat(r.status()).as(path).isEqualTo(400);
    assertThat(r.json().getString("error")).contains(message);
  }

  @Test
  void tooManyIdsAtOnceIs400() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    Reply r = admin.get("/api/songs?ids=" + String.join(",", ids));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("at most 100 ids");
  }

  @Test
  void browsingNeedsASession() {
    assertThat(new ApiClient(node).get("/api/genres").status()).isEqualTo(401);
    assertThat(new ApiClient(node).get("/api/songs/ids").status()).isEqualTo(401);
  }

  // ---- ids for play-all ----

  @ParameterizedTest
  @ValueSource(strings = {"", "sort=title", "sort=year&order=desc", "q=track", "genre=jazz&sort=duration"})
  void idsListEverySongInThePagesOrder(String query) {
    List<String> paged = new ArrayList<>();
    for (int offset = 0; ; offset += 50) {
      JsonArray items = ok("/api/songs?limit=50&offset=" + offset + "&" + query).getJsonArray("items");
      paged.addAll(strings(items, "id"));
      if (items.size() < 50) {
        break;
      }
    }
    JsonObject ids = ok("/api/songs/ids?" + query);

    assertThat(ids.getBoolean("truncated")).isFalse();
    assertThat(ids.getJsonArray("ids").getList()).isEqualTo(paged).isNotEmpty();
    if (query.isEmpty()) {
      assertThat(paged).hasSize(SONGS).doesNotHaveDuplicates();
    }
  }

  // ---- keyset paging ----

  @ParameterizedTest
  @ValueSource(strings = {"", "sort=title", "sort=year", "sort=year&order=desc", "sort=added&order=desc", "sort=duration",
      "genre=jazz&sort=artist", "q=track&sort=album&order=desc"})
  void pagesAfterEachNextCursorListEverySongInTheOffsetPagesOrder(String query) {
    List<String> paged = new ArrayList<>();
    JsonObject page = ok("/api/songs?limit=7&" + query);
    paged.addAll(strings(page.getJsonArray("items"), "id"));
    while (page.getBoolean("hasMore")) {
      page = ok("/api/songs?limit=7&" + query + "&after=" + page.getString("next"));
      paged.addAll(strings(page.getJsonArray("items"), "id"));
    }

    assertThat(page.containsKey("next")).as("the last page has no next cursor").isFalse();
    assertThat(paged).isEqualTo(ok("/api/songs/ids?" + query).getJsonArray("ids").getList()).isNotEmpty().doesNotHaveDuplicates();
  }

  @Test
  void aCursorOfAnotherOrderIs400() {
    String byTitle = ok("/api/songs?limit=5&sort=title").getString("next");

    Reply r = admin.get("/api/songs?limit=5&sort=title&order=desc&after=" + byTitle);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("belongs to another order");
  }

  @Test
  void idsOfAnArtistAreAllItsSongs() {
    String artistId = admin.get("/api/artists?q=" + enc("Artist 1")).items().getJsonObject(0).getString("id");

    JsonArray ids = ok("/api/songs/ids?artistId=" + artistId).getJsonArray("ids");

    assertThat(ids).hasSize(20);
  }

  @Test
  void songsByIdComeInTheAskedOrderWithoutTheUnknown() {
    List<String> ids = strings(ok("/api/songs?limit=3&sort=title").getJsonArray("items"), "id");
    String unknown = UUID.randomUUID().toString();

    JsonArray items = admin.get("/api/songs?ids=" + ids.get(2) + "," + unknown + "," + ids.get(0)).items();

    assertThat(strings(items, "id")).containsExactly(ids.get(2), ids.get(0));
    assertThat(items.getJsonObject(0).getString("title")).isNotBlank();
  }

  // ---- genres and years ----

  @Test
  void genresAreListedByNameWithTheirCounts() {
    JsonArray genres = ok("/api/genres").getJsonArray("items");

    assertThat(strings(genres, "name")).containsExactly("Ambient", "Blues", "Jazz", "Rock");
    JsonObject jazz = genres.getJsonObject(2);
    assertThat(jazz.getLong("songCount")).isEqualTo(20);
    assertThat(jazz.getLong("albumCount")).isEqualTo(2);
  }

  @Test
  void yearsAreGroupedIntoDecades() {
    JsonArray decades = ok("/api/years").getJsonArray("items");

    assertThat(decades).hasSize(2);
    JsonObject nineties = decades.getJsonObject(0);
    assertThat(nineties.getInteger("decade")).isEqualTo(1990);
    assertThat(nineties.getLong("songCount")).isEqualTo(50);
    assertThat(nineties.getLong("albumCount")).isEqualTo(6);
    JsonArray years = nineties.getJsonArray("years");
    assertThat(years).hasSize(10);
    assertThat(years.getJsonObject(7).getInteger("year")).isEqualTo(1997);
    assertThat(years.getJsonObject(7).getLong("songCount")).isEqualTo(5);
    assertThat(years.getJsonObject(7).getLong("albumCount")).isEqualTo(1);
    assertThat(decades.getJsonObject(1).getInteger("decade")).isEqualTo(2000);
    assertThat(decades.getJsonObject(1).getLong("songCount")).isEqualTo(10);
  }

  // ---- grouped search ----

  @Test
  void searchByYearFindsThatYearsSongsAndAlbums() {
    JsonObject result = ok("/api/search?q=1997");

    assertThat(result.getJsonObject("songs").getLong("total")).isEqualTo(5);
    assertThat(result.getJsonObject("songs").getJsonArray("items"))
        .allSatisfy(s -> assertThat(((JsonObject) s).getInteger("year")).isEqualTo(1997));
    assertThat(strings(result.getJsonArray("albums"), "title")).containsExactly("Album 1");
    assertThat(strings(result.getJsonArray("artists"), "name")).containsExactly("Artist 1");
  }

  @Test
  void searchByGenreGroupsSongsAlbumsAndArtists() {
    JsonObject result = ok("/api/search?q=jazz&limit=10");

    assertThat(result.getJsonObject("songs").getLong("total")).isEqualTo(20);
    assertThat(result.getJsonObject("songs").getJsonArray("items")).hasSize(10);
    assertThat(strings(result.getJsonArray("albums"), "title")).containsExactly("Album 0", "Album 1");
    assertThat(strings(result.getJsonArray("artists"), "name")).containsExactly("Artist 0", "Artist 1");
  }

  @Test
  void songListSearchAlsoMatchesGenre() {
    assertThat(ok("/api/songs?q=blues").getLong("total")).isEqualTo(10);
    assertThat(ok("/api/songs?q=" + enc("blues album 5")).getLong("total")).isEqualTo(10);
    assertThat(ok("/api/songs?q=" + enc("blues ambient")).getLong("total")).isZero();
  }

  // ---- helpers ----

  private static JsonObject ok(String path) {
    Reply r = admin.get(path);
    assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(200);
    return r.json();
  }

  static List<String> strings(JsonArray items, String key) {
    return objects(items).stream().map(o -> o.getString(key)).toList();
  }

  static List<JsonObject> objects(JsonArray items) {
    List<JsonObject> out = new ArrayList<>();
    items.forEach(o -> out.add((JsonObject) o));
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
