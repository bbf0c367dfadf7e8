package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds the caller's own marks to what the catalog answers: songs gain {@code starred},
 * {@code rating} (0 when unrated) and {@code playCount}, albums and artists gain {@code starred};
 * {@code starredAt} and a song's {@code lastPlayed} come along when there is one (the Subsonic API shows them).
 * One query per kind for the whole answer (see {@link UserLibrarySql#SONG_MARKS}); answers asked
 * for without a caller (other modules resolving a song) are left as they are. The lists read most
 * (song pages, search, history) read the same marks as columns of their own statement instead
 * ({@link #putSongMarks}, {@link #putStarred}): a round trip less, with the same keys in the same order.
 */
final class UserMarks {

  private final Pool pool;

  UserMarks(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> songPage(UUID caller, Future<JsonObject> page) {
    return page.compose(p -> mark(caller, objects(p, "items"), List.of(), List.of()).map(p));
  }

  Future<JsonObject> albumPage(UUID caller, Future<JsonObject> page) {
    return page.compose(p -> mark(caller, List.of(), objects(p, "items"), List.of()).map(p));
  }

  Future<JsonObject> artistPage(UUID caller, Future<JsonObject> page) {
    return page.compose(p -> mark(caller, List.of(), List.of(), objects(p, "items")).map(p));
  }

  Future<JsonObject> song(UUID caller, Future<JsonObject> song) {
    return song.compose(s -> mark(caller, List.of(s), List.of(), List.of()).map(s));
  }

  /** An album with its songs. */
  Future<JsonObject> album(UUID caller, Future<JsonObject> album) {
    return album.compose(a -> mark(caller, objects(a, "songs"), List.of(a), List.of()).map(a));
  }

  /** An artist with its albums. */
  Future<JsonObject> artist(UUID caller, Future<JsonObject> artist) {
    return artist.compose(a -> mark(caller, List.of(), objects(a, "albums"), List.of(a)).map(a));
  }

  /** A playlist (or anything else) with a {@code songs} list. */
  Future<JsonObject> withSongs(UUID caller, Future<JsonObject> owner) {
    return owner.compose(o -> mark(caller, objects(o, "songs"), List.of(), List.of()).map(o));
  }

  /**
   * An answer grouped by kind, {songs, albums, artists}, each a list or a page of them: all of one's
   * favourites, or the grouped search results.
   */
  Future<JsonObject> grouped(UUID caller, Future<JsonObject> answer) {
    return answer.compose(a -> mark(caller, listOrPage(a, "songs"), listOrPage(a, "albums"), listOrPage(a, "artists")).map(a));
  }

  Future<Void> songs(UUID caller, List<JsonObject> songs) {
    return mark(caller, songs, List.of(), List.of());
  }

  Future<Void> mark(UUID caller, List<JsonObject> songs, List<JsonObject> albums, List<JsonObject> artists) {
    if (caller == null) {
      return Future.succeededFuture();
    }
    return Future.all(markSongs(caller, songs), markStarred(caller, FavouriteKind.ALBUMS, albums),
        markStarred(caller, FavouriteKind.ARTISTS, artists)).mapEmpty();
  }

  private Future<Void> markSongs(UUID caller, List<JsonObject> songs) {
    if (songs.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<UUID, List<JsonObject>> byId = byId(songs);
    return pool.preparedQuery(UserLibrarySql.SONG_MARKS).execute(Tuple.tuple().addUUID(caller).addArrayOfUUID(byId.keySet().toArray(UUID[]::new))).map(rows -> {
      for (Row r : rows) {
        for (JsonObject song : byId.get(r.getUUID("id"))) {
          putSongMarks(song, r);
        }
      }
      return null;
    });
  }

  private Future<Void> markStarred(UUID caller, FavouriteKind kind, List<JsonObject> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<UUID, List<JsonObject>> byId = byId(items);
    return pool.preparedQuery(kind.starredAmong).execute(Tuple.tuple().addUUID(caller).addArrayOfUUID(byId.keySet().toArray(UUID[]::new))).map(rows -> {
      items.forEach(item -> item.put("starred", false));
      for (Row r : rows) {
        byId.get(r.getUUID(0)).forEach(item -> putTime(item.put("starred", true), "starredAt", r.getOffsetDateTime(1)));
      }
      return null;
    });
  }

  /**
   * A song's marks from the columns {@link UserLibrarySql#SONG_MARKS} or {@link
   * UserLibrarySql#songMarkColumns} read: starred_at, rating, play_count, last_played (null: none).
   */
  static JsonObject putSongMarks(JsonObject song, Row r) {
    OffsetDateTime starredAt = r.getOffsetDateTime("starred_at");
    Integer rating = r.getInteger("rating");
    Long plays = r.getLong("play_count");
    song.put("starred", starredAt != null).put("rating", rating == null ? 0 : rating).put("playCount", plays == null ? 0L : plays);
    putTime(song, "starredAt", starredAt);
    putTime(song, "lastPlayed", r.getOffsetDateTime("last_played"));
    return song;
  }

  /** An album's or artist's star from the column FavouriteKind.starredAtColumn read (null: not starred), as markStarred puts it. */
  static JsonObject putStarred(JsonObject item, Row r) {
    OffsetDateTime at = r.getOffsetDateTime("starred_at");
    item.put("starred", at != null);
    putTime(item, "starredAt", at);
    return item;
  }

  private static void putTime(JsonObject item, String key, OffsetDateTime at) {
    if (at != null) {
      item.put(key, at.toInstant().toString());
    }
  }

  /** A playlist may hold a song twice: both rows get the marks. */
  private static Map<UUID, List<JsonObject>> byId(List<JsonObject> items) {
    Map<UUID, List<JsonObject>> byId = new LinkedHashMap<>();
    for (JsonObject item : items) {
      byId.computeIfAbsent(UUID.fromString(item.getString("id")), k -> new ArrayList<>()).add(item);
    }
    return byId;
  }

  private static List<JsonObject> listOrPage(JsonObject owner, String key) {
    return owner.getValue(key) instanceof JsonObject page ? objects(page, "items") : objects(owner, key);
  }

  private static List<JsonObject> objects(JsonObject owner, String key) {
    JsonArray array = owner.getJsonArray(key);
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }
}
