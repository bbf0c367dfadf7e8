package io.dspot.catalog;

import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The listener's library as ordered events: stars, ratings and plays are the same on every node
 * because every node applies the same payloads (ids and times included) in the same order.
 * Payload keys are stored in the log and replayed: they must not change.
 */
final class UserLibraryEvents {

  /** {userId, kind (songs|albums|artists), itemId, starredAt}. */
  static final String FAVOURITE_STARRED = "favourite.starred";
  /** {userId, kind, itemId}. */
  static final String FAVOURITE_UNSTARRED = "favourite.unstarred";
  /** {userId, songId, rating 1..5, ratedAt}. */
  static final String RATING_SET = "rating.set";
  /** {userId, songId}. */
  static final String RATING_CLEARED = "rating.cleared";
  /** {id, userId, songId, playedAt}. */
  static final String PLAY_RECORDED = "play.recorded";

  /** Emptied by the catalog's rebuild wipe, with the songs, albums and artists they point at (and the play queues). */
  static final String TABLES = "favourite_songs, favourite_albums, favourite_artists, ratings, plays, play_totals, play_counts, album_play_counts, "
      + PlayQueueStore.TABLE;

  private UserLibraryEvents() {}

  static void register(OrderedLog orderedLog) {
    orderedLog.registerApplier(FAVOURITE_STARRED, (tx, p) -> run(tx, FavouriteKind.parse(p.getString("kind")).insert,
        Tuple.of(user(p), uuid(p, "itemId"), time(p, "starredAt"))));
    orderedLog.registerApplier(FAVOURITE_UNSTARRED, (tx, p) -> run(tx, FavouriteKind.parse(p.getString("kind")).delete,
        Tuple.of(user(p), uuid(p, "itemId"))));
    orderedLog.registerApplier(RATING_SET, (tx, p) -> run(tx, UserLibrarySql.UPSERT_RATING,
        Tuple.of(user(p), uuid(p, "songId"), p.getInteger("rating").shortValue(), time(p, "ratedAt"))));
    orderedLog.registerApplier(RATING_CLEARED, (tx, p) -> run(tx, UserLibrarySql.DELETE_RATING, Tuple.of(user(p), uuid(p, "songId"))));
    orderedLog.registerApplier(PLAY_RECORDED, UserLibraryEvents::applyPlay);
  }

  /** Records the play and counts it, once: applying the same event again changes nothing (see PlayCounts). */
  static Future<Void> applyPlay(SqlConnection tx, JsonObject p) {
    return PlayCounts.recordPlay(tx, uuid(p, "id"), user(p), uuid(p, "songId"), time(p, "playedAt"));
  }

  static JsonObject starred(UUID user, FavouriteKind kind, UUID item, OffsetDateTime at) {
    return new JsonObject().put("userId", user.toString()).put("kind", kind.path).put("itemId", item.toString()).put("starredAt", at.toString());
  }

  static JsonObject unstarred(UUID user, FavouriteKind kind, UUID item) {
    return new JsonObject().put("userId", user.toString()).put("kind", kind.path).put("itemId", item.toString());
  }

  static JsonObject rated(UUID user, UUID song, int rating, OffsetDateTime at) {
    return new JsonObject().put("userId", user.toString()).put("songId", song.toString()).put("rating", rating).put("ratedAt", at.toString());
  }

  static JsonObject ratingCleared(UUID user, UUID song) {
    return new JsonObject().put("userId", user.toString()).put("songId", song.toString());
  }

  static JsonObject played(UUID id, UUID user, UUID song, OffsetDateTime at) {
    return new JsonObject().put("id", id.toString()).put("userId", user.toString()).put("songId", song.toString()).put("playedAt", at.toString());
  }

  private static Future<Void> run(SqlConnection tx, String sql, Tuple args) {
    return tx.preparedQuery(sql).execute(args).mapEmpty();
  }

  private static UUID user(JsonObject p) {
    return uuid(p, "userId");
  }

  private static UUID uuid(JsonObject p, String key) {
    return UUID.fromString(p.getString(key));
  }

  private static OffsetDateTime time(JsonObject p, String key) {
    return OffsetDateTime.parse(p.getString(key));
  }
}
