package io.dspot.subsonic;

import io.dspot.bus.Paging;
import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listener's own library, mapped onto the catalog's (the web player's stars, ratings and
 * plays): star/unstar, getStarred(2), setRating, scrobble; now-playing lives in {@link NowPlaying}.
 */
final class UserLibraryMethods {

  /** A catalog item to star: its kind (the catalog's path name) and UUID. */
  private record Item(String kind, String id, String address) {}

  private UserLibraryMethods() {}

  static void register(Map<String, Method> methods, NowPlaying nowPlaying) {
    methods.put("star", call -> mark(call, CatalogAddresses.FAVOURITE_STAR));
    methods.put("unstar", call -> mark(call, CatalogAddresses.FAVOURITE_UNSTAR));
    methods.put("getStarred", call -> starred(call, "starred", Shapes::artist, Shapes::albumDirectory));
    methods.put("getStarred2", call -> starred(call, "starred2", Shapes::artistId3, Shapes::albumId3));
    methods.put("setRating", UserLibraryMethods::rate);
    methods.put("scrobble", call -> scrobble(call, nowPlaying));
    methods.put("getNowPlaying", nowPlaying::answer);
  }

  /**
   * Every id is checked (kind by prefix, then that it exists) before anything is starred, so a
   * call with one bad id changes nothing.
   */
  private static Future<Element> mark(Call call, String address) {
    List<Item> items = new ArrayList<>();
    for (String id : call.all("id")) {
      SubsonicIds kind = SubsonicIds.kindOf(id);
      if (kind == null || kind == SubsonicIds.PLAYLIST) {
        throw SubsonicError.notFound("no song, album or artist with id " + id);
      }
      items.add(item(kind, id));
    }
    call.all("albumId").forEach(id -> items.add(item(SubsonicIds.ALBUM, id)));
    call.all("artistId").forEach(id -> items.add(item(SubsonicIds.ARTIST, id)));
    if (items.isEmpty()) {
      throw SubsonicError.missing("id, albumId or artistId");
    }
    List<Future<JsonObject>> checks = items.stream().map(i -> call.bus(i.address, new JsonObject().put("id", i.id))).toList();
    return Future.all(checks)
        .compose(found -> each(call, address, items, 0))
        .map(v -> Element.response());
  }

  private static Item item(SubsonicIds kind, String id) {
    String uuid = kind.parse(id).toString();
    return switch (kind) {
      case SONG -> new Item("songs", uuid, CatalogAddresses.SONG_GET);
      case ALBUM -> new Item("albums", uuid, CatalogAddresses.ALBUM_GET);
      default -> new Item("artists", uuid, CatalogAddresses.ARTIST_GET);
    };
  }

  /** One after another: each is an ordered-log entry, and stars are idempotent. */
  private static Future<Void> each(Call call, String address, List<Item> items, int index) {
    if (index == items.size()) {
      return Future.succeededFuture();
    }
    Item i = items.get(index);
    return call.bus(address, new JsonObject().put("kind", i.kind).put("id", i.id)).compose(v -> each(call, address, items, index + 1));
  }

  private static Future<Element> starred(Call call, String listName, java.util.function.Function<JsonObject, Element> artistShape,
      java.util.function.Function<JsonObject, Element> albumShape) {
    return call.bus(CatalogAddresses.FAVOURITE_LIST, new JsonObject().put("limit", Paging.MAX_LIMIT)).map(all -> Element.response()
        .with(new Element(listName)
            .list("artist", Shapes.each(all.getJsonObject("artists").getJsonArray("items"), artistShape))
            .list("album", Shapes.each(all.getJsonObject("albums").getJsonArray("items"), albumShape))
            .list("song", Shapes.each(all.getJsonObject("songs").getJsonArray("items"), s -> Shapes.song("song", s)))));
  }

  /** Songs only: the catalog rates songs. 0 clears the rating (Subsonic's convention). */
  private static Future<Element> rate(Call call) {
    String id = SubsonicIds.SONG.parse(call.required("id")).toString();
    call.required("rating");
    int rating = call.integer("rating", 0, 0, 5);
    JsonObject body = new JsonObject().put("id", id);
    Future<JsonObject> done = rating == 0
        ? call.bus(CatalogAddresses.RATING_CLEAR, body)
        : call.bus(CatalogAddresses.RATING_SET, body.put("rating", rating));
    return done.map(v -> Element.response());
  }

  /**
   * submission=true (the default) records a play of each id, at its {@code time} when given;
   * false says what the caller is playing now.
   */
  private static Future<Element> scrobble(Call call, NowPlaying nowPlaying) {
    List<String> ids = call.all("id");
    if (ids.isEmpty()) {
      throw SubsonicError.missing("id");
    }
    List<String> songs = ids.stream().map(id -> SubsonicIds.SONG.parse(id).toString()).toList();
    List<String> times = call.all("time");
    if (!times.isEmpty() && times.size() != songs.size()) {
      throw new SubsonicError(SubsonicError.GENERIC, "give one time per id, or none");
    }
    List<Long> at = new ArrayList<>();
    for (String t : times) {
      try {
        at.add(Long.parseLong(t.trim()));
      } catch (NumberFormatException e) {
        throw new SubsonicError(SubsonicError.GENERIC, "time must be milliseconds since 1970, got " + (t.length() > 30 ? t.substring(0, 30) : t));
      }
    }
    if (!"false".equalsIgnoreCase(call.optional("submission"))) {
      // All found first: one unknown id records none of the plays.
      return Future.all(songs.stream().map(id -> call.bus(CatalogAddresses.SONG_GET, new JsonObject().put("id", id))).toList())
          .compose(found -> plays(call, songs, at, 0)).map(v -> Element.response());
    }
    return nowPlaying.playing(call, songs.get(songs.size() - 1)).map(v -> Element.response());
  }

  private static Future<Void> plays(Call call, List<String> songs, List<Long> at, int index) {
    if (index == songs.size()) {
      return Future.succeededFuture();
    }
    JsonObject body = new JsonObject().put("songId", songs.get(index)).put("playedAt", at.isEmpty() ? null : at.get(index));
    return call.bus(CatalogAddresses.PLAY_RECORD, body).compose(v -> plays(call, songs, at, index + 1));
  }
}
