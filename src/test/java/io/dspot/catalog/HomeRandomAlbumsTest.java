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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The home view's random albums in a library larger than {@link UserLibrarySql#SHUFFLE_AT_MOST}
 * albums, where they are drawn by probes of the id index instead of shuffling every album (the
 * small library's path is in UserLibraryApiTest). The albums are written straight into the node's
 * PostgreSQL on the artist of one uploaded song, as bench/gen-catalog.sql does, and all of them
 * starred by the admin, so every album drawn must carry the star.
 */
class HomeRandomAlbumsTest {

  static final int BULK = UserLibrarySql.SHUFFLE_AT_MOST + 500;

  private static TestNode node;
  private static ApiClient admin;
  private static Set<String> allAlbums;

  @BeforeAll
  static void startNodeWithManyAlbums() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        PreparedStatement insert = c.prepareStatement("INSERT INTO albums (id, artist_id, title, title_key, year) VALUES (?, ?, ?, ?, 2001)")) {
      for (int i = 0; i < BULK; i++) {
        insert.setObject(1, UUID.randomUUID());
        insert.setObject(2, UUID.fromString(song.getString("artistId")));
        insert.setString(3, "Bulk Album " + i);
        insert.setString(4, "bulk album " + i);
        insert.addBatch();
      }
      insert.executeBatch();
      c.createStatement().execute("INSERT INTO favourite_albums (user_id, album_id, starred_at)"
          + " SELECT u.id, al.id, now() FROM users u, albums al WHERE u.username = 'admin'");
    }
    allAlbums = new HashSet<>();
    for (int offset = 0; offset <= BULK; offset += 500) {
      admin.get("/api/albums?limit=500&offset=" + offset).items().forEach(a -> allAlbums.add(((JsonObject) a).getString("id")));
    }
    assertThat(allAlbums).hasSize(BULK + 1);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aLargeLibraryGetsAFullShelfOfDistinctRealAlbumsWithTheirFieldsAndMarks() {
    JsonArray shelf = admin.get("/api/home").json().getJsonArray("randomAlbums");

    assertThat(shelf).hasSize(HomeStore.SHELF);
    assertThat(ids(shelf)).doesNotHaveDuplicates().isSubsetOf(allAlbums);
    for (Object o : shelf) {
      JsonObject album = (JsonObject) o;
      JsonObject page = admin.get("/api/albums/" + album.getString("id")).json();
      page.remove("songs");
      assertThat(album).as("the album as its own page shows it").isEqualTo(page);
      assertThat(album.getBoolean("starred")).isTrue();
      assertThat(album.getString("starredAt")).isNotNull();
    }
  }

  @Test
  void eachVisitDrawsAgainFromTheWholeLibrary() {
    Set<String> seen = new HashSet<>();
    List<List<String>> shelves = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<String> shelf = ids(admin.get("/api/home").json().getJsonArray("randomAlbums"));
      assertThat(shelf).hasSize(HomeStore.SHELF).doesNotHaveDuplicates().isSubsetOf(allAlbums);
      shelves.add(shelf);
      seen.addAll(shelf);
    }
    // 240 draws from 1,501 albums: about 220 different ones if uniform; a fixed or narrow pick shows far fewer.
    assertThat(seen).hasSizeGreaterThan(150);
    assertThat(new HashSet<>(shelves)).as("no two visits got the same shelf").hasSize(shelves.size());
  }

  private static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(a -> ids.add(((JsonObject) a).getString("id")));
    return ids;
  }
}
