package io.dspot.catalog;

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
 */
final class CatalogEvents {

  static final String SONG_ADDED = "song.added";
  static final String SONG_DELETED = "song.deleted";
  static final String PLAYLIST_SAVED = "playlist.saved";
  static final String PLAYLIST_DELETED = "playlist.deleted";

  /** A rebuild from peers starts the catalog empty (playlists go too: their rows replay from the log). */
  static final String WIPE = "TRUNCATE playlist_songs, playlists, song_locations, songs, albums, artists";
  static final String INSERT_ARTIST = "INSERT INTO artists (id, name, name_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
  static final String INSERT_ALBUM =
      "INSERT INTO albums (id, artist_id, title, title_key, year, cover_sha256, cover_type) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          + "ON CONFLICT (id) DO UPDATE SET "
          + "cover_sha256 = coalesce(albums.cover_sha256, EXCLUDED.cover_sha256), "
          + "cover_type = CASE WHEN albums.cover_sha256 IS NULL THEN EXCLUDED.cover_type ELSE albums.cover_type END, "
          + "year = coalesce(albums.year, EXCLUDED.year)";
  static final String INSERT_SONG =
      "INSERT INTO songs (id, sha256, title, artist_id, album_id, album_artist, track, disc, year, genre, duration_ms, "
          + "bitrate, codec, content_type, size, demo, search_text, created_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
  static final String UPSERT_PLAYLIST =
      "INSERT INTO playlists (id, owner_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at";

  private CatalogEvents() {}

  static void register(OrderedLog orderedLog, String nodeId) {
    orderedLog.registerApplier(SONG_ADDED, CatalogEvents::applySongAdded);
    orderedLog.registerApplier(SONG_DELETED, CatalogEvents::applySongDeleted);
    orderedLog.registerApplier(PLAYLIST_SAVED, CatalogEvents::applyPlaylistSaved);
    orderedLog.registerApplier(PLAYLIST_DELETED, (tx, p) -> tx.preparedQuery(PlaylistStore.DELETE).execute(Tuple.of(uuid(p, "id"))).mapEmpty());
  }

  static Future<Void> applySongAdded(SqlConnection tx, JsonObject p) {
    JsonObject artist = p.getJsonObject("artist");
    JsonObject owner = p.getJsonObject("albumOwner");
    JsonObject album = p.getJsonObject("album");
    JsonObject s = p.getJsonObject("song");
    return tx.preparedQuery(INSERT_ARTIST).execute(Tuple.of(uuid(artist, "id"), artist.getString("name"), artist.getString("key")))
        .compose(v -> tx.preparedQuery(INSERT_ARTIST).execute(Tuple.of(uuid(owner, "id"), owner.getString("name"), owner.getString("key"))))
        .compose(v -> tx.preparedQuery(INSERT_ALBUM).execute(Tuple.of(uuid(album, "id"), uuid(owner, "id"), album.getString("title"),
            album.getString("key"), album.getInteger("year"), album.getString("coverSha256"), album.getString("coverType"))))
        .compose(v -> tx.preparedQuery(INSERT_SONG).execute(Tuple.from(new Object[] {
            uuid(s, "id"), s.getString("sha256"), s.getString("title"), uuid(artist, "id"), uuid(album, "id"),
            s.getString("albumArtist"), s.getInteger("track"), s.getInteger("disc"), s.getInteger("year"), s.getString("genre"),
            s.getLong("durationMs"), s.getInteger("bitrate"), s.getString("codec"), s.getString("contentType"), s.getLong("size"),
            s.getBoolean("demo", false), s.getString("searchText"), OffsetDateTime.parse(s.getString("createdAt"))})))
        .compose(v -> p.getString("location") == null ? Future.succeededFuture()
            : tx.preparedQuery(SongSql.INSERT_LOCATION).execute(Tuple.of(s.getString("sha256"), p.getString("location"))))
        .mapEmpty();
  }

  static Future<Void> applySongDeleted(SqlConnection tx, JsonObject p) {
    return tx.preparedQuery(SongSql.DELETE_SONG).execute(Tuple.of(uuid(p, "id")))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_LOCATIONS).execute(Tuple.of(p.getString("sha256"))))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ALBUM).execute(Tuple.of(uuid(p, "albumId"))))
        .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ARTIST).execute(Tuple.of(uuid(p, "artistId"))))
        .mapEmpty();
  }

  static Future<Void> applyPlaylistSaved(SqlConnection tx, JsonObject p) {
    UUID id = uuid(p, "id");
    JsonArray songs = p.getJsonArray("songIds", new JsonArray());
    return tx.preparedQuery(UPSERT_PLAYLIST).execute(Tuple.of(id, uuid(p, "ownerId"), p.getString("name"),
            OffsetDateTime.parse(p.getString("createdAt")), OffsetDateTime.parse(p.getString("updatedAt"))))
        .compose(v -> tx.preparedQuery(PlaylistStore.CLEAR).execute(Tuple.of(id)))
        .compose(v -> {
          if (songs.isEmpty()) {
            return Future.succeededFuture();
          }
          List<Tuple> batch = new ArrayList<>();
          for (int i = 0; i < songs.size(); i++) {
            batch.add(Tuple.of(id, i, UUID.fromString(songs.getString(i))));
          }
          return tx.preparedQuery(PlaylistStore.ADD_SONG).executeBatch(batch).mapEmpty();
        });
  }

  static UUID uuid(JsonObject o, String key) {
    return UUID.fromString(o.getString(key));
  }
}
