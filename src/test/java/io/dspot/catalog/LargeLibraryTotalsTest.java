package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists longer than the exact-count threshold (PageTotal): a lower-bound total flagged
 * {@code totalExact: false}, {@code hasMore} to page on, exact again where the page itself tells.
 * The library: one uploaded song, then 1,200 more rows written straight into the node's PostgreSQL
 * on its artist and album, as the song.added applier writes them (uploading 1,200 files would take
 * minutes; bench/gen-catalog.sql fills the benchmark's catalogs the same way).
 */
class LargeLibraryTotalsTest {

  static final int BULK = 1200;
  static final int SONGS = BULK + 1;
  static final int POLKA = 300;

  private static TestNode node;
  private static ApiClient admin;

  @BeforeAll
  static void startNodeWithALargeLibrary() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        PreparedStatement insert = c.prepareStatement("INSERT INTO songs (id, sha256, title, artist_id, album_id, track, year, genre, "
            + "duration_ms, bitrate, codec, content_type, size, search_text, created_at) "
            + "SELECT ?, ?, ?, artist_id, album_id, ?, 1999, ?, 1000, 128, 'mp3', 'audio/mpeg', 1000, "
            + "lower(? || ' ' || (SELECT name FROM artists WHERE id = s.artist_id) || ' ' || (SELECT title FROM albums WHERE id = s.album_id) || ' '), "
            + "now() FROM songs s WHERE s.id = ?")) {
      for (int i = 0; i < BULK; i++) {
        String title = "Bulk Tune " + i;
        insert.setObject(1, UUID.randomUUID());
        insert.setString(2, String.format("%064x", i));
        insert.setString(3, title);
        insert.setInt(4, i + 2);
        insert.setString(5, i < POLKA ? "Polka" : "Waltz");
        insert.setString(6, title);
        insert.setObject(7, UUID.fromString(song.getString("id")));
        insert.addBatch();
      }
      insert.executeBatch();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM songs")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(SONGS);
      }
    }
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void firstPageOfAListAboveTheThresholdAnswersALowerBoundFlaggedNotExact() {
    JsonObject page = ok("/api/songs?limit=50");

    assertThat(page.getJsonArray("items")).hasSize(50);
    assertThat(page.getBoolean("hasMore")).isTrue();
    assertThat(page.getBoolean("totalExact")).isFalse();
    assertThat(page.getLong("total")).isEqualTo(PageTotal.EXACT_UP_TO).isLessThan(SONGS);
  }

  @Test
  void searchAboveTheThresholdIsFlaggedTooAndASmallFilterStaysExact() {
    JsonObject many = ok("/api/search?q=bulk&limit=20").getJsonObject("songs");
    JsonObject polka = ok("/api/songs?genre=polka&limit=20");

    assertThat(many.getBoolean("totalExact")).isFalse();
    assertThat(many.getBoolean("hasMore")).isTrue();
    assertThat(polka.getBoolean("totalExact")).isTrue();
    assertThat(polka.getLong("total")).isEqualTo(POLKA);
    assertThat(polka.getBoolean("hasMore")).isTrue();
  }

  @Test
  void aSearchWhoseTitlesFillThePageCountsNothingAndSaysItsPageIsALowerBound() {
    JsonObject first = ok("/api/songs?q=bulk&limit=20");
    JsonObject second = ok("/api/songs?q=bulk&limit=20&offset=20");

    assertThat(first.getJsonArray("items")).hasSize(20);
    assertThat(first.getBoolean("hasMore")).isTrue();
    assertThat(first.getBoolean("totalExact")).isFalse();
    assertThat(first.getLong("total")).isEqualTo(20);
    assertThat(second.getLong("total")).isEqualTo(40);
    assertThat(second.getBoolean("totalExact")).isFalse();
  }

  @Test
  void aSearchWithFewOtherMatchesCountsThemExactlyFromThePageItself() {
    // Waltz is the genre of every bulk song but the first POLKA: no title starts with it.
    JsonObject waltz = ok("/api/songs?q=waltz&limit=20");
    JsonObject pastTheEnd = ok("/api/songs?q=waltz&limit=20&offset=5000");

    assertThat(waltz.getBoolean("totalExact")).isTrue();
    assertThat(waltz.getLong("total")).isEqualTo(BULK - POLKA);
    assertThat(waltz.getBoolean("hasMore")).isTrue();
    assertThat(pastTheEnd.getJsonArray("items")).isEmpty();
    assertThat(pastTheEnd.getBoolean("hasMore")).isFalse();
    assertThat(pastTheEnd.getLong("total")).isEqualTo(BULK - POLKA);
    assertThat(pastTheEnd.getBoolean("totalExact")).isTrue();
  }

  @Test
  void aSearchWithManyOtherMatchesIsFlaggedAndPagedInTheSameOrderAsItsIds() {
    // "tune" is in every bulk title, but starts none: more than EXACT_UP_TO other matches.
    JsonObject first = ok("/api/songs?q=tune&limit=50");
    JsonObject second = ok("/api/songs?q=tune&limit=50&offset=50");
    List<Object> ids = ok("/api/songs/ids?q=tune").getJsonArray("ids").getList();

    assertThat(first.getBoolean("totalExact")).isFalse();
    assertThat(first.getLong("total")).isEqualTo(PageTotal.EXACT_UP_TO);
    assertThat(first.getBoolean("hasMore")).isTrue();
    assertThat(ids).hasSize(BULK);
    List<Object> paged = new ArrayList<>();
    first.getJsonArray("items").forEach(s -> paged.add(((JsonObject) s).getString("id")));
    second.getJsonArray("items").forEach(s -> paged.add(((JsonObject) s).getString("id")));
    assertThat(paged).isEqualTo(ids.subList(0, 100));
  }

  @Test
  void anUncountedListCountsNothingBesideItsPage() {
    JsonObject counted = list(new JsonObject().put("genre", "waltz").put("limit", 20));
    JsonObject uncounted = list(new JsonObject().put("genre", "waltz").put("limit", 20).put(CatalogAddresses.UNCOUNTED, true));
    JsonObject lastPage = list(new JsonObject().put("genre", "waltz").put("limit", 20).put("offset", BULK - POLKA - 5)
        .put(CatalogAddresses.UNCOUNTED, true));

    assertThat(counted.getLong("total")).isEqualTo(BULK - POLKA);
    assertThat(counted.getBoolean("totalExact")).isTrue();
    assertThat(uncounted.getJsonArray("items")).isEqualTo(counted.getJsonArray("items"));
    assertThat(uncounted.getBoolean("hasMore")).isTrue();
    assertThat(uncounted.getLong("total")).isEqualTo(20);
    assertThat(uncounted.getBoolean("totalExact")).isFalse();
    // The last page tells the total itself.
    assertThat(lastPage.getJsonArray("items")).hasSize(5);
    assertThat(lastPage.getBoolean("hasMore")).isFalse();
    assertThat(lastPage.getLong("total")).isEqualTo(BULK - POLKA);
    assertThat(lastPage.getBoolean("totalExact")).isTrue();
  }

  private static JsonObject list(JsonObject query) {
    return (JsonObject) node.vertx().eventBus().request(CatalogAddresses.SONG_LIST, query).await().body();
  }

  @Test
  void pagingOnHasMoreVisitsEverySongOnceAndTheLastPageKnowsTheExactTotal() {
    Set<String> seen = new HashSet<>();
    JsonObject page;
    int offset = 0;
    do {
      page = ok("/api/songs?limit=500&sort=title&offset=" + offset);
      page.getJsonArray("items").forEach(s -> seen.add(((JsonObject) s).getString("id")));
      offset += page.getJsonArray("items").size();
    } while (page.getBoolean("hasMore"));

    assertThat(seen).hasSize(SONGS);
    assertThat(page.getBoolean("totalExact")).isTrue();
    assertThat(page.getLong("total")).isEqualTo(SONGS);
  }

  @Test
  void aPagePastTheEndCountsExactlyWhenTheCountIsSmallAndSaysSoWhenNot() {
    JsonObject pastPolka = ok("/api/songs?genre=polka&offset=5000");
    JsonObject pastAll = ok("/api/songs?offset=5000");

    assertThat(pastPolka.getJsonArray("items")).isEmpty();
    assertThat(pastPolka.getBoolean("hasMore")).isFalse();
    assertThat(pastPolka.getLong("total")).isEqualTo(POLKA);
    assertThat(pastAll.getJsonArray("items")).isEmpty();
    assertThat(pastAll.getBoolean("totalExact")).isFalse();
  }

  @Test
  void subsonicScanStatusStillCountsEverySong() {
    String apiKey = admin.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD))
        .json().getString("apiKey");

    JsonObject status = admin.get("/rest/getScanStatus?f=json&v=1.16.1&c=test&apiKey=" + apiKey).json()
        .getJsonObject("subsonic-response").getJsonObject("scanStatus");

    assertThat(status.getLong("count")).isEqualTo(SONGS);
  }

  private static JsonObject ok(String path) {
    ApiClient.Reply reply = admin.get(path);
    assertThat(reply.status()).as(path + ": " + reply.text()).isEqualTo(200);
    return reply.json();
  }
}
