package io.dspot.catalog;

import io.dspot.bus.Ids;
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
import java.util.UUID;
import java.util.function.Function;

/**
 * A listener's stars, ratings and plays: checked against the catalog by the token holder, written
 * as ordered events. Repeating a star, an unstar or the same rating records nothing.
 */
final class UserLibraryStore {

  private final Pool pool;
  private final OrderedLog orderedLog;
  private final UserMarks marks;

  UserLibraryStore(Pool pool, OrderedLog orderedLog, UserMarks marks) {
    this.pool = pool;
    this.orderedLog = orderedLog;
    this.marks = marks;
  }

  Future<JsonObject> star(UUID caller, FavouriteKind kind, UUID item) {
    return orderedLog.submit(ListenerWrites.star(caller, kind, item, tx -> requireItem(tx, kind, item)
        .compose(v -> tx.preparedQuery(kind.starredAt).execute(Tuple.of(caller, item)))
        .map(rows -> {
          if (rows.size() > 0) {
            return Decision.nothing(starResult(kind, item, rows.iterator().next().getOffsetDateTime(0)));
          }
          OffsetDateTime now = now();
          return Decision.record(UserLibraryEvents.FAVOURITE_STARRED, UserLibraryEvents.starred(caller, kind, item, now),
              starResult(kind, item, now));
        })));
  }

  Future<Void> unstar(UUID caller, FavouriteKind kind, UUID item) {
    return orderedLog.submit(ListenerWrites.star(caller, kind, item, tx -> requireItem(tx, kind, item)
        .compose(v -> tx.preparedQuery(kind.starredAt).execute(Tuple.of(caller, item)))
        .map(rows -> rows.size() == 0 ? Decision.nothing(new JsonObject())
            : Decision.record(UserLibraryEvents.FAVOURITE_UNSTARRED, UserLibraryEvents.unstarred(caller, kind, item), new JsonObject()))))
        .mapEmpty();
  }

  Future<JsonObject> rate(UUID caller, UUID song, Object rawRating) {
    int rating = rating(rawRating);
    JsonObject result = new JsonObject().put("songId", song.toString()).put("rating", rating);
    return orderedLog.submit(ListenerWrites.rating(caller, song, tx -> requireItem(tx, FavouriteKind.SONGS, song)
        .compose(v -> tx.preparedQuery(UserLibrarySql.RATING_OF).execute(Tuple.of(caller, song)))
        .map(rows -> rows.size() > 0 && rows.iterator().next().getInteger(0) == rating ? Decision.nothing(result)
            : Decision.record(UserLibraryEvents.RATING_SET, UserLibraryEvents.rated(caller, song, rating, now()), result))));
  }

  Future<Void> clearRating(UUID caller, UUID song) {
    return orderedLog.submit(ListenerWrites.rating(caller, song, tx -> requireItem(tx, FavouriteKind.SONGS, song)
        .compose(v -> tx.preparedQuery(UserLibrarySql.RATING_OF).execute(Tuple.of(caller, song)))
        .map(rows -> rows.size() == 0 ? Decision.nothing(new JsonObject())
            : Decision.record(UserLibraryEvents.RATING_CLEARED, UserLibraryEvents.ratingCleared(caller, song), new JsonObject()))))
        .mapEmpty();
  }

  /** A scrobble: the player decides when a song counts as played (half its length or 4 minutes). */
  Future<JsonObject> recordPlay(UUID caller, Object rawSongId, Object rawPlayedAt) {
    if (!(rawSongId instanceof String text)) {
      throw ServiceException.badRequest("songId is required: the id of the song that was played");
    }
    UUID song = Ids.parse(text, "song");
    OffsetDateTime at = playedAt(rawPlayedAt);
    UUID id = UUID.randomUUID();
    return orderedLog.submit(ListenerWrites.play(id, tx -> requireItem(tx, FavouriteKind.SONGS, song).map(v -> {
      OffsetDateTime now = at == null ? now() : at;
      return Decision.record(UserLibraryEvents.PLAY_RECORDED, UserLibraryEvents.played(id, caller, song, now),
          new JsonObject().put("id", id.toString()).put("songId", song.toString()).put("playedAt", now.toInstant().toString()));
    })));
  }

  /**
   * When a play happened, if the player says (a Subsonic scrobble's {@code time}, sent late by an
   * offline phone): epoch milliseconds, never in the future (a minute of clock skew allowed).
   */
  static OffsetDateTime playedAt(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Number n) || n.longValue() <= 0 || n.longValue() > System.currentTimeMillis() + 60_000) {
      throw ServiceException.badRequest("playedAt must be a time in milliseconds since 1970 and not in the future, got " + shorten(raw));
    }
    return java.time.Instant.ofEpochMilli(n.longValue()).atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** The caller's favourites of one kind, or of all three (each paged alike), newest first. */
  Future<JsonObject> favourites(UUID caller, String kind, int limit, int offset) {
    if (kind != null) {
      FavouriteKind one = FavouriteKind.parse(kind);
      return marks.grouped(caller, favouritePage(caller, one, limit, offset).map(page -> new JsonObject().put(one.path, page)))
          .map(grouped -> grouped.getJsonObject(one.path));
    }
    return marks.grouped(caller, Future.all(favouritePage(caller, FavouriteKind.SONGS, limit, offset),
            favouritePage(caller, FavouriteKind.ALBUMS, limit, offset), favouritePage(caller, FavouriteKind.ARTISTS, limit, offset))
        .map(all -> new JsonObject().put("songs", all.resultAt(0)).put("albums", all.resultAt(1)).put("artists", all.resultAt(2))));
  }

  private Future<JsonObject> favouritePage(UUID caller, FavouriteKind kind, int limit, int offset) {
    return switch (kind) {
      case SONGS -> page(UserLibrarySql.FAVOURITE_SONGS, UserLibrarySql.COUNT_FAVOURITE_SONGS, CatalogJson::song, caller, limit, offset);
      case ALBUMS -> page(UserLibrarySql.FAVOURITE_ALBUMS, UserLibrarySql.COUNT_FAVOURITE_ALBUMS, CatalogJson::album, caller, limit, offset);
      case ARTISTS -> page(UserLibrarySql.FAVOURITE_ARTISTS, UserLibrarySql.COUNT_FAVOURITE_ARTISTS, CatalogJson::artist, caller, limit, offset);
    };
  }

  /** The caller's plays, newest first: {id, playedAt, song}, the song with the caller's marks; one statement. */
  Future<JsonObject> history(UUID caller, int limit, int offset) {
    return page(UserLibrarySql.HISTORY, UserLibrarySql.COUNT_HISTORY, r -> new JsonObject()
        .put("id", r.getUUID("play_id").toString())
        .put("playedAt", r.getOffsetDateTime("played_at").toInstant().toString())
        .put("song", UserMarks.putSongMarks(CatalogJson.song(r), r)), caller, limit, offset);
  }

  private Future<JsonObject> page(String sql, String countSql, Function<Row, JsonObject> mapper, UUID caller, int limit, int offset) {
    return pool.preparedQuery(sql).execute(Tuple.of(caller, limit, offset))
        .map(rows -> CatalogJson.page(rows, mapper, limit, offset))
        .compose(page -> CatalogJson.withTotal(page, () -> pool.preparedQuery(countSql).execute(Tuple.of(caller)).map(CatalogJson::count)));
  }

  private static Future<Void> requireItem(SqlConnection tx, FavouriteKind kind, UUID item) {
    return tx.preparedQuery(kind.itemExists).execute(Tuple.of(item)).map(rows -> {
      if (rows.size() == 0) {
        throw ServiceException.notFound("no " + kind.noun + " with id " + item);
      }
      return null;
    });
  }

  /** Whole stars from 1 to 5; JSON numbers only (2.0 is 2, 2.5 is not a rating). */
  static int rating(Object raw) {
    if (raw == null) {
      throw ServiceException.badRequest("rating is required: a whole number from 1 to 5 (DELETE clears it)");
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ServiceException.badRequest("rating must be a whole number from 1 to 5, got " + shorten(raw));
    }
    double value = n.doubleValue();
    if (value < 1 || value > 5) {
      throw ServiceException.badRequest("rating must be from 1 to 5, got " + shorten(raw) + " (DELETE clears a rating)");
    }
    return (int) value;
  }

  private static String shorten(Object raw) {
    String text = raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static JsonObject starResult(FavouriteKind kind, UUID item, OffsetDateTime at) {
    return new JsonObject().put("kind", kind.path).put("id", item.toString()).put("starred", true).put("starredAt", at.toInstant().toString());
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
