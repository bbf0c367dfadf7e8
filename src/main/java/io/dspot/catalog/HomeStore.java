package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;

/**
 * The home view's shelves: short lists, each from one query that reads the newest songs, the
 * caller's own play counts (kept per song and album as plays are recorded, see PlayCounts) or the
 * albums, never a sum over plays. The caller's marks (stars, ratings, play counts) come as columns
 * of each shelf's statement (UserLibrarySql), so the four run side by side and nothing after them.
 */
final class HomeStore {

  static final int SHELF = 12;
  /** Recently added albums are read from this many newest songs (the Subsonic newest list too, see AlbumBrowse). */
  static final int NEWEST_SONGS = 2000;

  private final Pool pool;

  HomeStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> home(UUID caller) {
    Tuple me = Tuple.of(caller);
    Future<JsonArray> added = shelf(UserLibrarySql.RECENTLY_ADDED, me, HomeStore::album);
    Future<JsonArray> played = shelf(UserLibrarySql.RECENTLY_PLAYED, me, HomeStore::album);
    Future<JsonArray> most = shelf(UserLibrarySql.MOST_PLAYED, me, r -> UserMarks.putSongMarks(CatalogJson.song(r), r));
    Future<JsonArray> random = shelf(UserLibrarySql.RANDOM_ALBUMS, me, HomeStore::album);
    return Future.all(added, played, most, random).map(all -> new JsonObject().put("recentlyAdded", added.result())
        .put("recentlyPlayed", played.result()).put("mostPlayed", most.result()).put("randomAlbums", random.result()));
  }

  private static JsonObject album(Row r) {
    return UserMarks.putStarred(CatalogJson.album(r), r);
  }

  private Future<JsonArray> shelf(String sql, Tuple args, Function<Row, JsonObject> mapper) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(mapper.apply(r)));
      return out;
    });
  }
}
