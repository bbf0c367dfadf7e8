package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.dspot.outbox.OutboxWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Songs with their artists and albums: reads, and writes that commit with their outbox event. */
final class SongStore {

  private final Pool pool;
  private final OutboxWriter outbox;
  private final String nodeId;

  SongStore(Pool pool, OutboxWriter outbox, String nodeId) {
    this.pool = pool;
    this.outbox = outbox;
    this.nodeId = nodeId;
  }

  /** Adds a song, reusing its artist and album; the same content twice gives the first song back. */
  Future<JsonObject> add(JsonObject in) {
    String sha = in.getString("sha256");
    return pool.withTransaction(tx -> findBySha(tx, sha).compose(existing -> {
      if (existing != null) {
        return tx.preparedQuery(SongSql.INSERT_LOCATION).execute(Tuple.of(sha, nodeId))
            .map(v -> new JsonObject().put("song", existing).put("duplicate", true));
      }
      String artist = in.getString("artist");
      String album = in.getString("album");
      String albumOwner = in.getString("albumArtist") != null ? in.getString("albumArtist") : artist;
      UUID songId = UUID.randomUUID();
      return upsertArtist(tx, artist)
          .compose(artistId -> upsertArtist(tx, albumOwner).compose(ownerId -> tx.preparedQuery(SongSql.UPSERT_ALBUM)
              .execute(Tuple.of(UUID.randomUUID(), ownerId, album, key(album), in.getInteger("year"),
                  in.getString("coverSha256"), in.getString("coverType")))
              .map(rows -> new UUID[] {artistId, rows.iterator().next().getUUID(0)})))
          .compose(ids -> tx.preparedQuery(SongSql.INSERT_SONG).execute(Tuple.from(new Object[] {
              songId, sha, in.getString("title"), ids[0], ids[1], in.getString("albumArtist"),
              in.getInteger("track"), in.getInteger("disc"), in.getInteger("year"), in.getString("genre"),
              in.getLong("durationMs"), in.getInteger("bitrate"), in.getString("codec"), in.getString("contentType"),
              in.getLong("size"), in.getBoolean("demo", false),
              SongSearch.searchText(in.getString("title"), artist, album, in.getString("albumArtist"))})))
          .compose(inserted -> {
            boolean raced = inserted.size() == 0; // the same content committed concurrently
            return tx.preparedQuery(SongSql.INSERT_LOCATION).execute(Tuple.of(sha, nodeId))
                .compose(v -> findBySha(tx, sha))
                .compose(song -> raced
                    ? Future.succeededFuture(new JsonObject().put("song", song).put("duplicate", true))
                    : outbox.append(tx, "song.added", song).map(seq -> new JsonObject().put("song", song).put("duplicate", false)));
          });
    }));
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(SongSql.SONG_BY_ID).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no song with id " + id);
      }
      return CatalogJson.song(rows.iterator().next());
    });
  }

  Future<JsonObject> list(String q, int limit, int offset) {
    List<String> words = q == null ? List.of() : SongSearch.words(q);
    if (words.isEmpty()) {
      return pool.preparedQuery(SongSql.SONG_PAGE).execute(Tuple.of(limit, offset))
          .map(rows -> CatalogJson.page(rows, CatalogJson::song, limit, offset))
          .compose(page -> CatalogJson.withTotal(page, () -> pool.query(SongSql.SONG_COUNT).execute().map(CatalogJson::count)));
    }
    SongSearch.Query query = SongSearch.build(words, limit, offset);
    return pool.preparedQuery(query.sql()).execute(query.params())
        .map(rows -> CatalogJson.page(rows, CatalogJson::song, limit, offset))
        .compose(page -> CatalogJson.withTotal(page,
            () -> pool.preparedQuery(query.countSql()).execute(query.countParams()).map(CatalogJson::count)));
  }

  /** Deletes the song and any album or artist left empty; returns the blob's hash. */
  Future<JsonObject> delete(UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(SongSql.DELETE_SONG).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no song with id " + id);
      }
      Row r = rows.iterator().next();
      String sha = r.getString("sha256");
      JsonObject gone = new JsonObject().put("id", id.toString()).put("sha256", sha);
      return tx.preparedQuery(SongSql.DELETE_LOCATIONS).execute(Tuple.of(sha))
          .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ALBUM).execute(Tuple.of(r.getUUID("album_id"))))
          .compose(album -> {
            String cover = album.size() == 0 ? null : album.iterator().next().getString(0);
            if (cover == null) {
              return Future.succeededFuture();
            }
            // The cover's bytes go too, unless another album shows the same picture.
            return tx.preparedQuery(SongSql.COVER_IN_USE).execute(Tuple.of(cover))
                .map(used -> used.size() == 0 ? gone.put("coverSha256", cover) : gone);
          })
          .compose(v -> tx.preparedQuery(SongSql.DELETE_EMPTY_ARTIST).execute(Tuple.of(r.getUUID("artist_id"))))
          .compose(v -> outbox.append(tx, "song.deleted", gone))
          .map(seq -> gone);
    }));
  }

  private Future<JsonObject> findBySha(SqlConnection tx, String sha) {
    return tx.preparedQuery(SongSql.SONG_BY_SHA).execute(Tuple.of(sha))
        .map(rows -> rows.size() == 0 ? null : CatalogJson.song(rows.iterator().next()));
  }

  private Future<UUID> upsertArtist(SqlConnection tx, String name) {
    return tx.preparedQuery(SongSql.UPSERT_ARTIST).execute(Tuple.of(UUID.randomUUID(), name, key(name)))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  /** Names that differ only in case or spacing are one artist or album. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }
}
