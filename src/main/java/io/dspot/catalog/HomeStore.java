package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The home view's shelves: short lists, each from one query that reads the newest songs, the
 * caller's own play counts (kept per song and album as plays are recorded, see PlayCounts) or the
 * albums, never a sum over plays.
 */
final class HomeStore {

  static final int SHELF = 12;
  /** Recently added albums are read from this many newest songs (the Subsonic newest list too, see AlbumBrowse). */
  static final int NEWEST_SONGS = 2000;

  private final Pool pool;
  private final UserMarks marks;

  HomeStore(Pool pool, UserMarks marks) {
    this.pool = pool;
    this.marks = marks;
  }

  Future<JsonObject> home(UUID caller) {
    Future<JsonArray> added = shelf(UserLibrarySql.RECENTLY_ADDED, Tuple.of(SHELF), CatalogJson::album);
    Future<JsonArray> played = shelf(UserLibrarySql.RECENTLY_PLAYED, Tuple.of(caller, SHELF), CatalogJson::album);
    Future<JsonArray> most = shelf(UserLibrarySql.MOST_PLAYED, Tuple.of(caller, SHELF), CatalogJson::song);
    Future<JsonArray> random = shelf(UserLibrarySql.RANDOM_ALBUMS, Tuple.of(SHELF), CatalogJson::album);
    return Future.all(added, played, most, random).compose(all -> {
      JsonObject home = new JsonObject().put("recentlyAdded", added.result()).put("recentlyPlayed", played.result())
          .put("mostPlayed", most.result()).put("randomAlbums", random.result());
      List<JsonObject> albums = new java.util.ArrayList<>();
      for (JsonArray shelf : List.of(added.result(), played.result(), random.result())) {
        shelf.forEach(a -> albums.add((JsonObject) a));
      }
      List<JsonObject> songs = most.result().stream().map(s -> (JsonObject) s).toList();
      return marks.mark(caller, songs, albums, List.of()).map(home);
    });
  }

  private Future<JsonArray> shelf(String sql, Tuple args, Function<Row, JsonObject> mapper) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(mapper.apply(r)));
      return out;
    });
  }
}
