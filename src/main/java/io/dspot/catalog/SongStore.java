package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** Songs with their artists and albums: reads here, writes as ordered events through the ring. */
final class SongStore {

  static final String ARTIST_BY_KEY = "SELECT id FROM artists WHERE name_key = $1";
  static final String ALBUM_BY_KEY = "SELECT id FROM albums WHERE artist_id = $1 AND title_key = $2";
  static final String SONG_FOR_DELETE = "SELECT sha256, album_id, artist_id FROM songs WHERE id = $1";
  /** The album's cover, when deleting this song empties the album and no other album shows the picture. */
  static final String COVER_FREED_BY_DELETE =
      "SELECT a.cover_sha256 FROM albums a WHERE a.id = $1 AND a.cover_sha256 IS NOT NULL "
          + "AND (SELECT count(*) FROM songs s WHERE s.album_id = a.id) = 1 "
          + "AND NOT EXISTS (SELECT 1 FROM albums b WHERE b.cover_sha256 = a.cover_sha256 AND b.id <> a.id)";

  private final Pool pool;
  private final OrderedLog orderedLog;
  private final String nodeId;
  private final UserMarks marks;

  SongStore(Pool pool, OrderedLog orderedLog, String nodeId, UserMarks marks) {
    this.pool = pool;
    this.orderedLog = orderedLog;
    this.nodeId = nodeId;
    this.marks = marks;
  }

  /** Adds a song, reusing its artist and album; the same content twice gives the first song back. */
  Future<JsonObject> add(SongDraft draft) {
    String sha = draft.sha256();
    SongTags tags = draft.tags();
    return orderedLog.submit(tx -> findBySha(tx, sha).compose(existing -> {
      if (existing != null) {
        return Future.succeededFuture(Decision.nothing(new JsonObject().put("id", existing.getString("id")).put("duplicate", true)));
      }
      String artist = tags.artist();
      String albumOwner = tags.albumOwner();
      return idOf(tx, ARTIST_BY_KEY, Tuple.of(key(artist))).compose(artistId ->
          (key(albumOwner).equals(key(artist)) ? Future.succeededFuture(artistId) : idOf(tx, ARTIST_BY_KEY, Tuple.of(key(albumOwner))))
              .compose(ownerId -> idOf(tx, ALBUM_BY_KEY, Tuple.of(ownerId, key(tags.album()))).map(albumId -> {
                UUID songId = UUID.randomUUID();
                SongAdded added = new SongAdded(songId,
                    new SongAdded.Name(artistId, artist, key(artist)),
                    new SongAdded.Name(ownerId, albumOwner, key(albumOwner)),
                    albumId, key(tags.album()), draft,
                    SongSearch.searchText(tags.title(), artist, tags.album(), tags.albumArtist()),
                    OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
                    nodeId);
                return Decision.record(CatalogEvents.SONG_ADDED, added.toJson(), new JsonObject().put("id", songId.toString()).put("duplicate", false));
              })));
    })).compose(result -> get(UUID.fromString(result.getString("id")))
        .map(song -> new JsonObject().put("song", song).put("duplicate", result.getBoolean("duplicate"))));
  }

  /** The id of an existing row, or a new one: decided once, by the token holder, for every node. */
  private static Future<UUID> idOf(SqlConnection tx, String sql, Tuple key) {
    return tx.preparedQuery(sql).execute(key).map(rows -> rows.size() == 0 ? UUID.randomUUID() : rows.iterator().next().getUUID(0));
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(SongSql.SONG_BY_ID).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no song with id " + id);
      }
      return CatalogJson.song(rows.iterator().next());
    });
  }

  /**
   * A page of songs from {@code offset}, or after a {@link SongCursor} ({@code after}, may be null);
   * its total exact only up to {@link PageTotal#EXACT_UP_TO} unless {@code exactTotal}. Every page
   * in a fixed order carries the cursor of its last song ({@code next}) while more follow. The
   * songs carry the marks of {@code viewer} (may be null: none): read by the page's own statement
   * when it starts at offset 0 (a first page, or a page after a cursor); from an offset, the
   * statement reads every row it skips and would probe their marks too (50,050 rows for the page
   * at offset 50,000), so the page's marks are read after it (UserMarks).
   */
  Future<JsonObject> list(SongFilter filter, UUID viewer, int limit, int offset, String after, boolean exactTotal, boolean uncounted) {
    if (viewer != null && offset > 0) {
      return marks.songPage(viewer, list(filter, null, limit, offset, after, exactTotal, uncounted));
    }
    if (after != null && offset > 0) {
      throw ServiceException.badRequest("give after or offset, not both");
    }
    SongQuery.Sql count = exactTotal ? SongQuery.count(filter) : SongQuery.cappedCount(filter);
    if (!filter.words().isEmpty() && filter.sort() == null && after == null) {
      // Relevance: RelevantSongs counts the matches itself where the page needs it (see there).
      Future<RelevantSongs.Found> found = RelevantSongs.page(pool, filter, limit, offset, viewer);
      Future<Long> counted = exactTotal ? pool.preparedQuery(count.text()).execute(count.params()).map(CatalogJson::count)
          : found.map(RelevantSongs.Found::matches);
      return PageTotal.page(found.map(RelevantSongs.Found::rows), counted, exactTotal, songs(viewer), limit, offset, null);
    }
    SongQuery.Sql page = SongQuery.page(filter, limit, offset, after, viewer);
    SongCursor cursor = SongCursor.of(filter);
    Future<Long> counted = PageTotal.unlessUncounted(uncounted && !exactTotal,
        () -> pool.preparedQuery(count.text()).execute(count.params()).map(CatalogJson::count)).get();
    return PageTotal.page(pool.preparedQuery(page.text()).execute(page.params()).map(PageTotal::list), counted, exactTotal,
        songs(viewer), limit, after == null ? offset : PageTotal.UNKNOWN_OFFSET, cursor::next);
  }

  /** A song of a page, with its marks when the page was read for a viewer (SongQuery's marks columns). */
  private static Function<Row, JsonObject> songs(UUID viewer) {
    return viewer == null ? CatalogJson::song : r -> UserMarks.putSongMarks(CatalogJson.song(r), r);
  }

  /** Deletes the song and any album or artist left empty; returns the blob's hash. */
  Future<JsonObject> delete(UUID id) {
    return orderedLog.submit(tx -> tx.preparedQuery(SONG_FOR_DELETE).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no song with id " + id);
      }
      Row r = rows.iterator().next();
      return tx.preparedQuery(COVER_FREED_BY_DELETE).execute(Tuple.of(r.getUUID("album_id"))).map(cover -> {
        JsonObject gone = new SongDeleted(id, r.getString("sha256"), r.getUUID("album_id"), r.getUUID("artist_id"),
            cover.size() > 0 ? cover.iterator().next().getString(0) : null).toJson();
        // The answer a copy: answers are handed over on the bus uncopied (BusService.freshReplies), the event's payload stays the log's.
        return Decision.record(CatalogEvents.SONG_DELETED, gone, gone.copy());
      });
    }));
  }

  private Future<JsonObject> findBySha(SqlConnection tx, String sha) {
    return tx.preparedQuery(SongSql.SONG_BY_SHA).execute(Tuple.of(sha))
        .map(rows -> rows.size() == 0 ? null : CatalogJson.song(rows.iterator().next()));
  }

  /** Names that differ only in case or spacing are one artist or album. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }
}
