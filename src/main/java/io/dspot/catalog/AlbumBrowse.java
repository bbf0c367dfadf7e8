package io.dspot.catalog;

import io.dspot.bus.Ids;
import io.dspot.bus.Paging;
import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
      "random", "random()",
      "year", "al.year NULLS LAST, al.title_key",
      "yearDesc", "al.year DESC NULLS LAST, al.title_key",
      "frequent", "mine.plays DESC, mine.last_played DESC, al.title_key",
      "recent", "mine.last_played DESC, al.title_key",
      "starred", "fa.starred_at DESC, al.title_key",
      "highest", "rated.rating DESC, mine.plays DESC NULLS LAST, al.title_key");
  /** The orders of the caller's own albums list only those they played, starred or rated. */
  static final Map<String, String> MINE_ONLY = Map.of(
      "frequent", " AND mine.plays > 0", "recent", " AND mine.plays > 0",
      "starred", " AND fa.starred_at IS NOT NULL", "highest", " AND rated.rating IS NOT NULL");

  static final String COLUMNS = "al.id, al.title, al.artist_id, ar.name AS artist, al.year, al.cover_sha256 IS NOT NULL AS has_cover, "
      + "st.song_count, st.duration_ms, st.created, st.genre, coalesce(mine.plays, 0) AS plays, mine.last_played, fa.starred_at";
  /** Per album: songs, total length, the newest song's arrival (the album's), and its most common genre. */
  static final String STATS = " JOIN LATERAL (SELECT count(*) AS song_count, coalesce(sum(s.duration_ms), 0) AS duration_ms, "
      + "max(s.created_at) AS created, mode() WITHIN GROUP (ORDER BY s.genre) AS genre FROM songs s WHERE s.album_id = al.id) st ON true";
  /** The caller's ($3) play count of each album, kept as plays are recorded (PlayCounts); none without a caller. */
  private static final String PLAYED = " album_play_counts mine ON mine.album_id = al.id AND mine.user_id = $3";
  /** The caller's mean rating and star of each album. */
  private static final String RATED_STARRED = " LEFT JOIN LATERAL (SELECT avg(r.rating) AS rating FROM ratings r"
      + " JOIN songs rs ON rs.id = r.song_id WHERE r.user_id = $3 AND rs.album_id = al.id) rated ON true"
      + " LEFT JOIN favourite_albums fa ON fa.album_id = al.id AND fa.user_id = $3";
  private static final String ALBUMS = " FROM albums al";
  private static final String WITH_ARTIST = " JOIN artists ar ON ar.id = al.artist_id";
  /**
   * The orders by the caller's plays list only the albums they played, walked in the order of
   * album_play_counts_most or _recent up to the page (summing their plays per album first took
   * 278-329 ms for a listener with 20,000 plays at 100,000 songs).
   */
  static final java.util.Set<String> BY_PLAYS = java.util.Set.of("frequent", "recent");

  /**
   * FROM with the caller's marks. A count leaves the artist out: every album has one
   * (albums.artist_id NOT NULL REFERENCES artists) and no filter reads it, so the count of a
   * frequent list probes 1,001 artists fewer (7.8 → 2.6 ms in EXPLAIN).
   */
  static String from(String order, boolean forCount) {
    return ALBUMS + (forCount ? "" : WITH_ARTIST) + (BY_PLAYS.contains(order) ? " JOIN" : " LEFT JOIN") + PLAYED + RATED_STARRED;
  }

  /**
   * Newest first: only the albums of the newest songs, as the home view's recently-added shelf reads
   * them (UserLibrarySql.RECENTLY_ADDED), instead of every album's newest song (880 ms at 100,000
   * songs). Exact whenever the page fills from them: an album with a song in the window has its
   * newest song there too, so these albums are in their true order and come before all others
   * (ties at the window's edge included). A page that does not fill is read without it. An array,
   * not IN: with IN the planner probed every album for a song in the window.
   */
  static final String NEWEST_WINDOW = " AND al.id = ANY(ARRAY(SELECT ws.album_id FROM songs ws ORDER BY ws.created_at DESC"
      + " FETCH FIRST " + HomeStore.NEWEST_SONGS + " ROWS WITH TIES))";
  /** Artist, title fragment, a genre any of its songs has, and a range of years. */
  static final String WHERE = " WHERE ($1::uuid IS NULL OR al.artist_id = $1) AND ($2::text IS NULL OR al.title_key LIKE '%' || $2 || '%')"
      + " AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM songs gs WHERE gs.album_id = al.id AND lower(gs.genre) = lower($4)))"
      + " AND ($5::int IS NULL OR al.year >= $5) AND ($6::int IS NULL OR al.year <= $6)";
  static final String RANDOM_SONGS = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM
      + " WHERE ($2::text IS NULL OR lower(s.genre) = lower($2)) AND ($3::int IS NULL OR s.year >= $3) AND ($4::int IS NULL OR s.year <= $4)"
      + " ORDER BY random() LIMIT $1";

  private final Pool pool;

  AlbumBrowse(Pool pool) {
    this.pool = pool;
  }

  /**
   * {order, artistId?, q?, genre?, fromYear?, toYear?, callerId?, limit, offset} → page of albums
   * (with duration, created, genre; with the caller's playCount, lastPlayed, starred when given).
   */
  Future<JsonObject> albums(JsonObject body) {
    String key = body.getString("order", "artist");
    String order = ORDERS.get(key);
    if (order == null) {
      throw ServiceException.badRequest("order must be one of " + ORDERS.keySet());
    }
    UUID artistId = body.getString("artistId") == null ? null : Ids.parse(body.getString("artistId"), "artist");
    String q = body.getString("q");
    String filter = q == null || q.isBlank() ? null : SongSearch.escapeLike(SongStore.key(q));
    UUID caller = body.getString("callerId") == null ? null : UUID.fromString(body.getString("callerId"));
    Tuple where = Tuple.of(artistId, filter, caller, body.getString("genre"), body.getInteger("fromYear"), body.getInteger("toYear"));
    String condition = WHERE + MINE_ONLY.getOrDefault(key, "");
    int limit = Paging.limit(body);
    int offset = Paging.offset(body);
    String from = from(key, false);
    String sql = "SELECT " + COLUMNS + from + STATS + condition + " ORDER BY " + order + " LIMIT $7 OFFSET $8";
    Tuple params = Tuple.tuple();
    for (int i = 0; i < where.size(); i++) {
      params.addValue(where.getValue(i));
    }
    params.addInteger(limit + 1).addInteger(offset);
    Future<RowSet<Row>> rows = !key.equals("newest") ? pool.preparedQuery(sql).execute(params)
        : pool.preparedQuery("SELECT " + COLUMNS + from + STATS + condition + NEWEST_WINDOW + " ORDER BY " + order + " LIMIT $7 OFFSET $8")
            .execute(params).compose(set -> set.size() > limit ? Future.succeededFuture(set) : pool.preparedQuery(sql).execute(params));
    return PageTotal.page(rows, PageTotal.unlessUncounted(body.getBoolean(CatalogAddresses.UNCOUNTED, false),
            () -> pool.preparedQuery(PageTotal.cappedCount(from(key, true) + condition)).execute(where).map(CatalogJson::count)),
        r -> album(r, caller != null), limit, offset);
  }

  /** {limit, genre?, fromYear?, toYear?} → {items}: songs in random order. */
  Future<JsonObject> randomSongs(JsonObject body) {
    Tuple params = Tuple.of(Paging.limit(body), body.getString("genre"), body.getInteger("fromYear"), body.getInteger("toYear"));
    return pool.preparedQuery(RANDOM_SONGS).execute(params)
        .map(rows -> new JsonObject().put("items", CatalogJson.songs(rows)));
  }

  private static JsonObject album(Row r, boolean withMarks) {
    JsonObject album = CatalogJson.album(r)
        .put("duration", r.getLong("duration_ms") / 1000.0)
        .put("createdAt", instant(r, "created"))
        .put("genre", r.getString("genre"));
    if (withMarks) {
      album.put("playCount", r.getLong("plays")).put("lastPlayed", instant(r, "last_played"))
          .put("starred", r.getValue("starred_at") != null).put("starredAt", instant(r, "starred_at"));
    }
    return album;
  }

  private static String instant(Row r, String column) {
    return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant().toString();
  }
}
