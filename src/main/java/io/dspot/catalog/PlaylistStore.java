package io.dspot.catalog;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** A user's own playlists: ordered song lists that only their owner can see or change. */
final class PlaylistStore {

  static final int MAX_SONGS = 5_000;
  static final String LIST =
      "SELECT p.id, p.name, p.owner_id, p.updated_at, (SELECT count(*) FROM playlist_songs ps WHERE ps.playlist_id = p.id) AS song_count, "
          + "count(*) OVER () AS total FROM playlists p WHERE p.owner_id = $1 ORDER BY lower(p.name), p.id LIMIT $2 OFFSET $3";
  static final String COUNT = "SELECT count(*) FROM playlists WHERE owner_id = $1";
  static final String GET =
      "SELECT p.id, p.name, p.owner_id, p.updated_at, (SELECT count(*) FROM playlist_songs ps WHERE ps.playlist_id = p.id) AS song_count "
          + "FROM playlists p WHERE p.id = $1";
  static final String SONGS = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM
      + " JOIN playlist_songs ps ON ps.song_id = s.id WHERE ps.playlist_id = $1 ORDER BY ps.position";
  static final String UPSERT =
      "INSERT INTO playlists (id, owner_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at";
  static final String CLEAR = "DELETE FROM playlist_songs WHERE playlist_id = $1";
  static final String ADD_SONG = "INSERT INTO playlist_songs (playlist_id, position, song_id) VALUES ($1, $2, $3)";
  static final String EXISTING_SONGS = "SELECT id FROM songs WHERE id = ANY($1)";
  static final String DELETE = "DELETE FROM playlists WHERE id = $1";

  /** What an update decides from, in one round trip: it runs under the token, where every round trip delays the whole batch. */
  static final String CURRENT = "SELECT p.owner_id, p.name, p.created_at, "
      + "ARRAY(SELECT ps.song_id FROM playlist_songs ps WHERE ps.playlist_id = p.id ORDER BY ps.position) AS song_ids "
      + "FROM playlists p WHERE p.id = $1";

  private final Pool pool;
  private final OrderedLog orderedLog;

  PlaylistStore(Pool pool, OrderedLog orderedLog) {
    this.pool = pool;
    this.orderedLog = orderedLog;
  }

  Future<JsonObject> list(UUID owner, int limit, int offset) {
    return pool.preparedQuery(LIST).execute(Tuple.of(owner, limit, offset))
        .map(rows -> CatalogJson.page(rows, PlaylistStore::summary, limit, offset))
        .compose(page -> CatalogJson.withTotal(page, () -> pool.preparedQuery(COUNT).execute(Tuple.of(owner)).map(CatalogJson::count)));
  }

  Future<JsonObject> create(UUID owner, JsonObject body) {
    String name = name(body.getValue("name"));
    List<UUID> songIds = songIds(body.getValue("songIds"));
    UUID id = UUID.randomUUID();
    return orderedLog.submit(ListenerWrites.playlist(id, tx -> requireSongs(tx, songIds).map(v -> {
      String now = now();
      return Decision.record(CatalogEvents.PLAYLIST_SAVED, saved(id, owner, name, songIds, now, now), new JsonObject());
    }))).compose(v -> pool.withConnection(conn -> read(conn, id)));
  }

  Future<JsonObject> get(UUID caller, UUID id) {
    return pool.withConnection(conn -> owned(conn, caller, id).compose(v -> read(conn, id)));
  }

  /**
   * The answer is the playlist as this write decided it (plus its songs' rows when it has any),
   * not a second read: a read after the commit costs two more queries and may already show a later write.
   */
  Future<JsonObject> update(UUID caller, UUID id, JsonObject body) {
    String name = body.containsKey("name") ? name(body.getValue("name")) : null;
    List<UUID> songIds = body.containsKey("songIds") ? songIds(body.getValue("songIds")) : null;
    return orderedLog.submit(ListenerWrites.playlist(id, tx -> tx.preparedQuery(CURRENT).execute(Tuple.of(id)).compose(rows -> {
      Row current = rows.size() == 0 ? null : rows.iterator().next();
      if (current == null || !current.getUUID("owner_id").equals(caller)) {
        throw ServiceException.notFound("no playlist with id " + id);
      }
      Future<List<UUID>> songs = songIds == null
          ? Future.succeededFuture(List.of(current.getArrayOfUUIDs("song_ids")))
          : requireSongs(tx, songIds).map(songIds);
      return songs.map(list -> {
        JsonObject saved = saved(id, caller, name != null ? name : current.getString("name"), list,
            current.getOffsetDateTime("created_at").toString(), now());
        return Decision.record(CatalogEvents.PLAYLIST_SAVED, saved, answer(saved));
      });
    }))).compose(decided -> decided.getLong("songCount") == 0
        ? Future.succeededFuture(decided.put("songs", new JsonArray()))
        : pool.preparedQuery(SONGS).execute(Tuple.of(id)).map(rows -> decided.put("songs", CatalogJson.songs(rows))));
  }

  Future<Void> delete(UUID caller, UUID id) {
    return orderedLog.submit(ListenerWrites.playlist(id, tx -> owned(tx, caller, id)
        .map(v -> Decision.record(CatalogEvents.PLAYLIST_DELETED, new JsonObject().put("id", id.toString()), new JsonObject()))))
        .mapEmpty();
  }

  /** 404 for someone else's playlist too: its existence is none of the caller's business. */
  private Future<Void> owned(SqlConnection conn, UUID caller, UUID id) {
    return conn.preparedQuery(GET).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0 || !rows.iterator().next().getUUID("owner_id").equals(caller)) {
        throw ServiceException.notFound("no playlist with id " + id);
      }
      return null;
    });
  }

  private Future<Void> requireSongs(SqlConnection tx, List<UUID> songIds) {
    if (songIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(EXISTING_SONGS).execute(Tuple.of(songIds.toArray(UUID[]::new))).map(found -> {
      var known = new LinkedHashSet<UUID>();
      found.forEach(r -> known.add(r.getUUID(0)));
      for (UUID s : songIds) {
        if (!known.contains(s)) {
          throw ServiceException.badRequest("no song with id " + s);
        }
      }
      return null;
    });
  }

  private static JsonObject saved(UUID id, UUID owner, String name, List<UUID> songIds, String createdAt, String updatedAt) {
    JsonArray songs = new JsonArray();
    songIds.forEach(s -> songs.add(s.toString()));
    return new JsonObject().put("id", id.toString()).put("ownerId", owner.toString()).put("name", name)
        .put("songIds", songs).put("createdAt", createdAt).put("updatedAt", updatedAt);
  }

  private static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString();
  }

  private Future<JsonObject> read(SqlConnection conn, UUID id) {
    return conn.preparedQuery(GET).execute(Tuple.of(id)).compose(rows -> {
      JsonObject playlist = summary(rows.iterator().next());
      return conn.preparedQuery(SONGS).execute(Tuple.of(id)).map(songs -> playlist.put("songs", CatalogJson.songs(songs)));
    });
  }

  /** The summary of a decided playlist, in the form {@link #summary} reads it from its row. */
  private static JsonObject answer(JsonObject saved) {
    return new JsonObject()
        .put("id", saved.getString("id"))
        .put("name", saved.getString("name"))
        .put("owner", saved.getString("ownerId"))
        .put("songCount", (long) saved.getJsonArray("songIds").size())
        .put("updatedAt", OffsetDateTime.parse(saved.getString("updatedAt")).toInstant().toString());
  }

  private static JsonObject summary(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("name", r.getString("name"))
        .put("owner", r.getUUID("owner_id").toString())
        .put("songCount", r.getLong("song_count"))
        .put("updatedAt", r.getOffsetDateTime("updated_at").toInstant().toString());
  }

  private static String name(Object raw) {
    if (!(raw instanceof String s) || s.isBlank()) {
      throw ServiceException.badRequest("playlist name is required");
    }
    String trimmed = s.strip();
    if (trimmed.length() > 200) {
      throw ServiceException.badRequest("playlist name longer than 200 characters");
    }
    return trimmed;
  }

  private static List<UUID> songIds(Object raw) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw ServiceException.badRequest("songIds must be an array of song ids");
    }
    if (array.size() > MAX_SONGS) {
      throw ServiceException.badRequest("a playlist holds at most " + MAX_SONGS + " songs");
    }
    List<UUID> ids = new ArrayList<>();
    for (Object o : array) {
      ids.add(Ids.parse(o instanceof String s ? s : String.valueOf(o), "song"));
    }
    return ids;
  }
}
