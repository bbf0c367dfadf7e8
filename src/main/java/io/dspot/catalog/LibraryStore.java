package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Browsing: artists and albums. */
final class LibraryStore {

  private final Pool pool;

  LibraryStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> artists(String q, int limit, int offset) {
    String filter = q == null || q.isBlank() ? null : SongSearch.escapeLike(SongStore.key(q));
    return pool.preparedQuery(SongSql.ARTIST_PAGE).execute(Tuple.of(filter, limit, offset))
        .map(rows -> CatalogJson.page(rows, CatalogJson::artist, limit, offset))
        .compose(page -> CatalogJson.withTotal(page,
            () -> pool.preparedQuery(SongSql.ARTIST_COUNT).execute(Tuple.of(filter)).map(CatalogJson::count)));
  }

  Future<JsonObject> artist(UUID id) {
    return pool.preparedQuery(SongSql.ARTIST_BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no artist with id " + id);
      }
      JsonObject artist = CatalogJson.artist(rows.iterator().next());
      return pool.preparedQuery(SongSql.ALBUM_PAGE).execute(Tuple.of(id, 500, 0)).map(albums -> {
        JsonArray list = new JsonArray();
        albums.forEach(r -> list.add(CatalogJson.album(r)));
        return artist.put("albums", list);
      });
    });
  }

  Future<JsonObject> albums(UUID artistId, int limit, int offset) {
    return pool.preparedQuery(SongSql.ALBUM_PAGE).execute(Tuple.of(artistId, limit, offset))
        .map(rows -> CatalogJson.page(rows, CatalogJson::album, limit, offset))
        .compose(page -> CatalogJson.withTotal(page,
            () -> pool.preparedQuery(SongSql.ALBUM_COUNT).execute(Tuple.of(artistId)).map(CatalogJson::count)));
  }

  Future<JsonObject> album(UUID id) {
    return pool.preparedQuery(SongSql.ALBUM_BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no album with id " + id);
      }
      JsonObject album = CatalogJson.album(rows.iterator().next());
      return pool.preparedQuery(SongSql.SONGS_OF_ALBUM).execute(Tuple.of(id))
          .map(songs -> album.put("songs", CatalogJson.songs(songs)));
    });
  }

  Future<JsonObject> cover(UUID id) {
    return pool.preparedQuery(SongSql.ALBUM_COVER).execute(Tuple.of(id)).map(rows -> {
      Row r = rows.size() == 0 ? null : rows.iterator().next();
      if (r == null) {
        throw ServiceException.notFound("no album with id " + id);
      }
      if (r.getString("cover_sha256") == null) {
        throw ServiceException.notFound("album has no cover art");
      }
      return new JsonObject().put("sha256", r.getString("cover_sha256")).put("contentType", r.getString("cover_type"));
    });
  }
}
