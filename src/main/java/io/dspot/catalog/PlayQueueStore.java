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
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * One play queue per listener, shared by their devices: saved whole (songs, the current one, where
 * in it, which client) as an ordered event, read with the songs that still exist.
 */
final class PlayQueueStore {

  /** {userId, songIds: [...], current?, positionMs, changedBy, changedAt}. */
  static final String SAVED = "playqueue.saved";
  static final String TABLE = "play_queues";
  /** Longer queues than any app keeps; a bound on what one request may write. */
  static final int MAX_SONGS = 5000;
  static final int MAX_CLIENT = 100;

  private static final String UPSERT = "INSERT INTO play_queues (user_id, song_ids, current_song, position_ms, changed_by, changed_at)"
      + " SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)"
      + " ON CONFLICT (user_id) DO UPDATE SET song_ids = $2, current_song = $3, position_ms = $4, changed_by = $5, changed_at = $6";
  private static final String QUEUE = "SELECT song_ids, current_song, position_ms, changed_by, changed_at FROM play_queues WHERE user_id = $1";
  private static final String EXISTING = "SELECT id FROM songs WHERE id = ANY($1::uuid[])";
  private static final String SONGS = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM
      + " JOIN unnest($1::uuid[]) WITH ORDINALITY q(id, n) ON q.id = s.id ORDER BY q.n";

  private final Pool pool;
  private final OrderedLog orderedLog;
  private final UserMarks marks;

  PlayQueueStore(Pool pool, OrderedLog orderedLog, UserMarks marks) {
    this.pool = pool;
    this.orderedLog = orderedLog;
    this.marks = marks;
  }

  static void register(OrderedLog orderedLog) {
    orderedLog.registerApplier(SAVED, (tx, p) -> {
      JsonArray ids = p.getJsonArray("songIds");
      UUID[] songs = new UUID[ids.size()];
      for (int i = 0; i < songs.length; i++) {
        songs[i] = UUID.fromString(ids.getString(i));
      }
      return tx.preparedQuery(UPSERT).execute(Tuple.tuple().addUUID(UUID.fromString(p.getString("userId"))).addArrayOfUUID(songs)
          .addUUID(p.getString("current") == null ? null : UUID.fromString(p.getString("current")))
          .addLong(p.getLong("positionMs")).addString(p.getString("changedBy"))
          .addOffsetDateTime(OffsetDateTime.parse(p.getString("changedAt")))).mapEmpty();
    });
  }

  /**
   * {songIds: [...] (empty clears), current? (one of them), position? (ms), changedBy? (the
   * client)} → the queue as {@link #get} answers it. Every song must exist.
   */
  Future<JsonObject> save(UUID caller, JsonObject body) {
    if (!(body.getValue("songIds") instanceof JsonArray raw)) {
      throw ServiceException.badRequest("songIds is required: a list of song ids, empty to clear the queue");
    }
    if (raw.size() > MAX_SONGS) {
      throw ServiceException.badRequest("a play queue holds at most " + MAX_SONGS + " songs, got " + raw.size());
    }
    UUID[] songs = new UUID[raw.size()];
    for (int i = 0; i < songs.length; i++) {
      songs[i] = Ids.parse(raw.getValue(i) instanceof String s ? s : String.valueOf(raw.getValue(i)), "song");
    }
    UUID current = current(body.getValue("current"), songs);
    long position = position(body.getValue("position"));
    String client = client(body.getValue("changedBy"));
    return orderedLog.submit(ListenerWrites.playQueue(caller, tx -> tx.preparedQuery(EXISTING).execute(Tuple.tuple().addArrayOfUUID(songs)).map(rows -> {
      Set<UUID> found = new HashSet<>();
      rows.forEach(r -> found.add(r.getUUID(0)));
      for (UUID song : new LinkedHashSet<>(java.util.Arrays.asList(songs))) {
        if (!found.contains(song)) {
          throw ServiceException.notFound("no song with id " + song);
        }
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      JsonArray ids = new JsonArray();
      for (UUID song : songs) {
        ids.add(song.toString());
      }
      JsonObject payload = new JsonObject().put("userId", caller.toString()).put("songIds", ids)
          .put("current", current == null ? null : current.toString()).put("positionMs", position)
          .put("changedBy", client).put("changedAt", now.toString());
      return Decision.record(SAVED, payload, new JsonObject());
    }))).compose(v -> get(caller));
  }

  /**
   * {songs: [...] in order, current (a song id or null), position (ms), changedBy, changedAt}; an
   * empty queue when none was saved. A current song deleted since starts the queue over.
   */
  Future<JsonObject> get(UUID caller) {
    return pool.preparedQuery(QUEUE).execute(Tuple.of(caller)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(new JsonObject().put("songs", new JsonArray()).putNull("current").put("position", 0L)
            .putNull("changedBy").putNull("changedAt"));
      }
      Row q = rows.iterator().next();
      UUID[] ids = q.getArrayOfUUIDs("song_ids");
      return pool.preparedQuery(SONGS).execute(Tuple.tuple().addArrayOfUUID(ids)).compose(songRows -> {
        JsonArray songs = CatalogJson.songs(songRows);
        UUID current = q.getUUID("current_song");
        boolean currentLeft = current != null && songs.stream().anyMatch(s -> ((JsonObject) s).getString("id").equals(current.toString()));
        JsonObject queue = new JsonObject().put("songs", songs)
            .put("current", currentLeft ? current.toString() : null)
            .put("position", currentLeft ? q.getLong("position_ms") : 0L)
            .put("changedBy", q.getString("changed_by"))
            .put("changedAt", q.getOffsetDateTime("changed_at").toInstant().toString());
        return marks.withSongs(caller, Future.succeededFuture(queue));
      });
    });
  }

  private static UUID current(Object raw, UUID[] songs) {
    if (raw == null) {
      return null;
    }
    UUID current = Ids.parse(raw instanceof String s ? s : String.valueOf(raw), "song");
    for (UUID song : songs) {
      if (song.equals(current)) {
        return current;
      }
    }
    throw ServiceException.badRequest("current must be one of the queue's songIds, got " + current);
  }

  private static long position(Object raw) {
    if (raw == null) {
      return 0;
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0 || n.doubleValue() > Long.MAX_VALUE / 2) {
      throw ServiceException.badRequest("position must be a whole number of milliseconds, 0 or more, got " + shorten(raw));
    }
    return n.longValue();
  }

  private static String client(Object raw) {
    if (raw == null) {
      return "unknown";
    }
    if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_CLIENT) {
      throw ServiceException.badRequest("changedBy must be a client name of 1 to " + MAX_CLIENT + " characters");
    }
    return s.strip();
  }

  private static String shorten(Object raw) {
    String text = String.valueOf(raw);
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
