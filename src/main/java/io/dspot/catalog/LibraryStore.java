package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Browsing: artists and albums, also by genre and year. */
final class LibraryStore {

  private final Pool pool;

  LibraryStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Artists whose name contains {@code q}, with a song of the filter's genre and years when it names
   * them; {@code uncounted}: see {@link CatalogAddresses#UNCOUNTED}.
   */
  Future<JsonObject> artists(String q, SongFilter songs, int limit, int offset, boolean uncounted) {
    String name = q == null || q.isBlank() ? null : SongSearch.escapeLike(SongStore.key(q));
    return page(SongSql.ARTIST_PAGE, SongSql.ARTIST_COUNT, CatalogJson::artist, name, songs, limit, offset, uncounted);
  }

  Future<JsonObject> artist(UUID id) {
    return pool.preparedQuery(SongSql.ARTIST_BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no artist with id " + id);
      }
      JsonObject artist = CatalogJson.artist(rows.iterator().next());
      return pool.preparedQuery(SongSql.ALBUM_PAGE).execute(Tuple.of(id, 500, 0, null, null, null)).map(albums -> {
        JsonArray list = new JsonArray();
        albums.forEach(r -> list.add(CatalogJson.album(r)));
        return artist.put("albums", list);
      });
    });
  }

  /** The artist's albums (all when null), with a song of the filter's genre and years when it names them. */
  Future<JsonObject> albums(UUID artistId, SongFilter songs, int limit, int offset) {
    return page(SongSql.ALBUM_PAGE, SongSql.ALBUM_COUNT, CatalogJson::album, artistId, songs, limit, offset, false);
  }

  private Future<JsonObject> page(String pageSql, String countSql, java.util.function.Function<Row, JsonObject> json,
      Object first, SongFilter songs, int limit, int offset, boolean uncounted) {
    Tuple params = Tuple.of(first, limit + 1, offset, songs.genre(), songs.yearFrom(), songs.yearTo());
    return PageTotal.page(pool.preparedQuery(pageSql).execute(params),
        PageTotal.unlessUncounted(uncounted, () -> pool.preparedQuery(countSql).execute(params).map(CatalogJson::count)), json, limit, offset);
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
