package io.dspot.subsonic;

import io.dspot.bus.Paging;
import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The caller's own playlists (the catalog's: the same ones the web player shows). Nobody sees another's. */
final class PlaylistMethods {

  private PlaylistMethods() {}

  static void register(Map<String, Method> methods) {
    methods.put("getPlaylists", PlaylistMethods::list);
    methods.put("getPlaylist", call -> get(call, call.required("id")).map(p -> Element.response().with(full(call, p))));
    methods.put("createPlaylist", PlaylistMethods::create);
    methods.put("updatePlaylist", PlaylistMethods::update);
    methods.put("deletePlaylist", call -> call.bus(CatalogAddresses.PLAYLIST_DELETE, mine(call, call.required("id")))
        .map(v -> Element.response()));
  }

  private static JsonObject mine(Call call, String playlistId) {
    return new JsonObject().put("id", SubsonicIds.PLAYLIST.parse(playlistId).toString()).put("callerId", call.userId());
  }

  private static Future<JsonObject> get(Call call, String playlistId) {
    return call.bus(CatalogAddresses.PLAYLIST_GET, mine(call, playlistId));
  }

  private static Element full(Call call, JsonObject p) {
    return Shapes.playlist(p, call.username()).list("entry", Shapes.each(p.getJsonArray("songs"), s -> Shapes.song("entry", s)));
  }

  private static Future<Element> list(Call call) {
    String username = call.optional("username");
    if (username != null && !username.equalsIgnoreCase(call.username())) {
      throw new SubsonicError(SubsonicError.NOT_AUTHORIZED, "playlists are private to their owner");
    }
    return call.bus(CatalogAddresses.PLAYLIST_LIST, new JsonObject().put("callerId", call.userId()).put("limit", Paging.MAX_LIMIT))
        .map(page -> Element.response().with(new Element("playlists")
            .list("playlist", Shapes.each(page.getJsonArray("items"), p -> Shapes.playlist(p, call.username())))));
  }

  private static List<String> songIds(List<String> subsonicIds) {
    List<String> ids = new ArrayList<>();
    subsonicIds.forEach(id -> ids.add(SubsonicIds.SONG.parse(id).toString()));
    return ids;
  }

  /** The catalog refuses an unknown song as a bad value; to a Subsonic client it is "not found" (70). */
  private static <T> Future<T> songsKnown(Future<T> saved) {
    return saved.recover(e -> Future.failedFuture(e instanceof SubsonicError se && se.getMessage().startsWith("no song with id")
        ? SubsonicError.notFound(se.getMessage()) : e));
  }

  /** With {@code name}: a new playlist of the given songs. With {@code playlistId}: that playlist's songs replaced. */
  private static Future<Element> create(Call call) {
    String playlistId = call.optional("playlistId");
    String name = call.optional("name");
    if (playlistId == null && name == null) {
      throw SubsonicError.missing("name");
    }
    JsonArray songs = new JsonArray(songIds(call.all("songId")));
    Future<JsonObject> saved = playlistId == null
        ? call.bus(CatalogAddresses.PLAYLIST_CREATE, new JsonObject().put("callerId", call.userId()).put("name", name).put("songIds", songs))
        : call.bus(CatalogAddresses.PLAYLIST_UPDATE, mine(call, playlistId).put("songIds", songs));
    return songsKnown(saved).map(p -> Element.response().with(full(call, p)));
  }

  /**
   * Renames, appends {@code songIdToAdd} and drops the songs at {@code songIndexToRemove}
   * (positions in the playlist as it was). The catalog saves the result whole.
   */
  private static Future<Element> update(Call call) {
    String playlistId = call.required("playlistId");
    List<String> toAdd = songIds(call.all("songIdToAdd"));
    TreeSet<Integer> toRemove = new TreeSet<>();
    for (String raw : call.all("songIndexToRemove")) {
      try {
        toRemove.add(Integer.parseInt(raw.trim()));
      } catch (NumberFormatException e) {
        throw new SubsonicError(SubsonicError.GENERIC, "songIndexToRemove must be a position in the playlist, not " + raw);
      }
    }
    String name = call.optional("name");
    if (toAdd.isEmpty() && toRemove.isEmpty()) {
      JsonObject rename = mine(call, playlistId);
      return (name == null ? get(call, playlistId) : call.bus(CatalogAddresses.PLAYLIST_UPDATE, rename.put("name", name)))
          .map(v -> Element.response());
    }
    return get(call, playlistId).compose(current -> {
      JsonArray songs = current.getJsonArray("songs");
      if (!toRemove.isEmpty() && (toRemove.first() < 0 || toRemove.last() >= songs.size())) {
        throw new SubsonicError(SubsonicError.GENERIC, "songIndexToRemove must be from 0 to " + (songs.size() - 1));
      }
      JsonArray ids = new JsonArray();
      for (int i = 0; i < songs.size(); i++) {
        if (!toRemove.contains(i)) {
          ids.add(songs.getJsonObject(i).getString("id"));
        }
      }
      toAdd.forEach(ids::add);
      JsonObject change = mine(call, playlistId).put("songIds", ids);
      if (name != null) {
        change.put("name", name);
      }
      return songsKnown(call.bus(CatalogAddresses.PLAYLIST_UPDATE, change)).map(v -> Element.response());
    });
  }
}
