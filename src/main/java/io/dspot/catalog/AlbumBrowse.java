package io.dspot.catalog;

import io.dspot.bus.Ids;
import io.dspot.bus.Paging;
import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;

/**
 * Album lists in the orders music apps ask for (newest, random, by name, by artist), filtered by
 * artist or a name fragment, each album with its length and when it was added; and random songs.
 */
final class AlbumBrowse {

  /** The order keys {@link CatalogAddresses#ALBUM_BROWSE} accepts, and their ORDER BY. */
  static final Map<String, String> ORDERS = Map.of(
      "artist", "ar.name_key, al.year NULLS LAST, al.title_key",
      "name", "al.title_key, ar.name_key",
      "newest", "created DESC, al.title_key",
      "random", "random()");

  static final String COLUMNS = "al.id, al.title, al.artist_id, ar.name AS artist, al.year, al.cover_sha256 IS NOT NULL AS has_cover, "
      + "st.song_count, st.duration_ms, st.created, st.genre";
  /** Per album: songs, total length, the newest song's arrival (the album's), and its most common genre. */
  static final String STATS = " JOIN LATERAL (SELECT count(*) AS song_count, coalesce(sum(s.duration_ms), 0) AS duration_ms, "
      + "max(s.created_at) AS created, mode() WITHIN GROUP (ORDER BY s.genre) AS genre FROM songs s WHERE s.album_id = al.id) st ON true";
  static final String WHERE = " WHERE ($1::uuid IS NULL OR al.artist_id = $1) AND ($2::text IS NULL OR al.title_key LIKE '%' || $2 || '%')";
  static final String COUNT = "SELECT count(*) FROM albums al" + WHERE;
  static final String RANDOM_SONGS = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM
      + " WHERE ($2::text IS NULL OR lower(s.genre) = lower($2)) AND ($3::int IS NULL OR s.year >= $3) AND ($4::int IS NULL OR s.year <= $4)"
      + " ORDER BY random() LIMIT $1";

  private final Pool pool;

  AlbumBrowse(Pool pool) {
    this.pool = pool;
  }

  /** {order, artistId?, q?, limit, offset} → page of albums (with duration, created, genre). */
  Future<JsonObject> albums(JsonObject body) {
    String order = ORDERS.get(body.getString("order", "artist"));
    if (order == null) {
      throw ServiceException.badRequest("order must be one of " + ORDERS.keySet());
    }
    UUID artistId = body.getString("artistId") == null ? null : Ids.parse(body.getString("artistId"), "artist");
    String q = body.getString("q");
    String filter = q == null || q.isBlank() ? null : SongSearch.escapeLike(SongStore.key(q));
    int limit = Paging.limit(body);
    int offset = Paging.offset(body);
    String sql = "SELECT " + COLUMNS + ", count(*) OVER () AS total FROM albums al JOIN artists ar ON ar.id = al.artist_id" + STATS
        + WHERE + " ORDER BY " + order + " LIMIT $3 OFFSET $4";
    return pool.preparedQuery(sql).execute(Tuple.of(artistId, filter, limit, offset))
        .map(rows -> CatalogJson.page(rows, AlbumBrowse::album, limit, offset))
        .compose(page -> CatalogJson.withTotal(page,
            () -> pool.preparedQuery(COUNT).execute(Tuple.of(artistId, filter)).map(CatalogJson::count)));
  }

  /** {limit, genre?, fromYear?, toYear?} → {items}: songs in random order. */
  Future<JsonObject> randomSongs(JsonObject body) {
    Tuple params = Tuple.of(Paging.limit(body), body.getString("genre"), body.getInteger("fromYear"), body.getInteger("toYear"));
    return pool.preparedQuery(RANDOM_SONGS).execute(params)
        .map(rows -> new JsonObject().put("items", CatalogJson.songs(rows)));
  }

  private static JsonObject album(Row r) {
    return CatalogJson.album(r)
        .put("duration", r.getLong("duration_ms") / 1000.0)
        .put("createdAt", r.getOffsetDateTime("created") == null ? null : r.getOffsetDateTime("created").toInstant().toString())
        .put("genre", r.getString("genre"));
  }
}
