package io.dspot.catalog;

import io.dspot.log.Applier;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The catalog's event types and how every node applies them. Payloads carry every id and time,
 * so applying the same events in the same order gives identical rows on every node.
 *
 * <p>{@code song_locations} belongs to replication (its events {@code replica.added} and
 * {@code replica.dropped}, its rebuild hook). The catalog touches it in two places only: song.added
 * inserts the uploading node's row for the song's blob and, when the album shows the cover that
 * came with the song, for the cover's blob (the first copies exist before the song does); and
 * song.deleted removes every row of the deleted blobs (the song's, and a cover no album shows now).
 * Covers are then replicated like songs.
 */
final class CatalogEvents {

  static final String SONG_ADDED = "song.added";
  static final String SONG_DELETED = "song.deleted";
  /** Many songs at once (a folder import's batch): see {@link SongBatch}. */
  static final String SONGS_ADDED = "songs.added";
  static final String PLAYLIST_SAVED = "playlist.saved";
  static final String PLAYLIST_DELETED = "playlist.deleted";

  /**
   * A rebuild from peers starts the catalog empty (playlists, stars, ratings and plays go too: their
   * rows replay from the log; album_words and artist_words are written again by V12's triggers).
   * song_locations is replication's to wipe.
   */
  static final String WIPE = "TRUNCATE playlist_songs, playlists, " + UserLibraryEvents.TABLES + ", songs, album_words, albums, artist_words, artists";

  private CatalogEvents() {}

  static void register(OrderedLog orderedLog, String nodeId) {
    orderedLog.registerApplier(SONG_ADDED, CatalogEvents::applySongAdded);
    orderedLog.registerApplier(SONGS_ADDED, SongBatch::apply);
    orderedLog.registerApplier(SONG_DELETED, CatalogEvents::applySongDeleted);
    orderedLog.registerApplier(PLAYLIST_SAVED, Applier.pipelined(CatalogEvents::applyPlaylistSaved));
    orderedLog.registerApplier(PLAYLIST_DELETED, (tx, p) -> tx.preparedQuery(PlaylistStore.DELETE).execute(Tuple.of(uuid(p, "id"))).mapEmpty());
  }

  /** One song is a batch of one: the same statements give the same rows. */
  static Future<Void> applySongAdded(SqlConnection tx, JsonObject payload) {
    return SongBatch.apply(tx, new JsonObject().put("songs", new JsonArray().add(payload)));
  }

  static Future<Void> applySongDeleted(SqlConnection tx, JsonObject payload) {
    SongDeleted gone = SongDeleted.fromJson(payload);
    return tx.preparedQuery(SongSql.DELETE_SONG).execute(Tuple.of(gone.id()))
        .compose(v -> PlayCounts.recountAlbum(tx, gone.albumId()))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_LOCATIONS).execute(Tuple.of(gone.sha256())))
        .compose(v -> gone.coverSha256() == null ? Future.succeededFuture()
            : tx.preparedQuery(SongSql.DELETE_LOCATIONS).execute(Tuple.of(gone.coverSha256())))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ALBUM).execute(Tuple.of(gone.albumId())))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ARTIST).execute(Tuple.of(gone.artistId())))
        .mapEmpty();
  }

  /**
   * The statements go out together (the connection pipelines them, PostgreSQL runs them in order):
   * one round trip instead of three, which matters on the token holder, where a batch's commands
   * are applied one after another.
   */
  static Future<Void> applyPlaylistSaved(SqlConnection tx, JsonObject p) {
    UUID id = uuid(p, "id");
    JsonArray songs = p.getJsonArray("songIds", new JsonArray());
    Future<?> upsert = tx.preparedQuery(PlaylistStore.UPSERT).execute(Tuple.of(id, uuid(p, "ownerId"), p.getString("name"),
        OffsetDateTime.parse(p.getString("createdAt")), OffsetDateTime.parse(p.getString("updatedAt"))));
    Future<?> clear = tx.preparedQuery(PlaylistStore.CLEAR).execute(Tuple.of(id));
    if (songs.isEmpty()) {
      return Future.all(upsert, clear).mapEmpty();
    }
    List<Tuple> batch = new ArrayList<>();
    for (int i = 0; i < songs.size(); i++) {
      batch.add(Tuple.of(id, i, UUID.fromString(songs.getString(i))));
    }
    return Future.all(upsert, clear, tx.preparedQuery(PlaylistStore.ADD_SONG).executeBatch(batch)).mapEmpty();
  }

  static UUID uuid(JsonObject o, String key) {
    return UUID.fromString(o.getString(key));
  }
}
