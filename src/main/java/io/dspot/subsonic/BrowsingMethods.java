package io.dspot.subsonic;

import io.dspot.bus.Paging;
import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Browsing and searching: folders, indexes, artists, albums, songs, album lists, random songs, search2/3. */
final class BrowsingMethods {

  private static final int MAX_LIST = Paging.MAX_LIMIT;
  /** getAlbumList types and the catalog order that answers them (byYear and byGenre: see {@link #albumList}). */
  private static final Map<String, String> ORDERS = Map.of(
      "random", "random", "newest", "newest", "alphabeticalByName", "name", "alphabeticalByArtist", "artist",
      "frequent", "frequent", "recent", "recent", "starred", "starred", "highest", "highest");

  private BrowsingMethods() {}

  static void register(Map<String, Method> methods) {
    methods.put("getMusicFolders", call -> Future.succeededFuture(Element.response().with(new Element("musicFolders")
        .list("musicFolder", List.of(new Element("musicFolder").set("id", Shapes.MUSIC_FOLDER_ID).set("name", "Music"))))));
    methods.put("getIndexes", call -> allArtists(call).map(artists -> Element.response().with(
        indexed(new Element("indexes").set("lastModified", System.currentTimeMillis()).set("ignoredArticles", ""), artists,
            Shapes::artist))));
    methods.put("getArtists", call -> allArtists(call).map(artists -> Element.response().with(
        indexed(new Element("artists").set("ignoredArticles", ""), artists, Shapes::artistId3))));
    methods.put("getArtist", BrowsingMethods::artist);
    methods.put("getAlbum", BrowsingMethods::album);
    methods.put("getSong", call -> call.bus(CatalogAddresses.SONG_GET, id(SubsonicIds.SONG, call.required("id")))
        .map(song -> Element.response().with(Shapes.song("song", song))));
    methods.put("getMusicDirectory", BrowsingMethods::directory);
    methods.put("getAlbumList", call -> albumList(call, "albumList", Shapes::albumDirectory));
    methods.put("getAlbumList2", call -> albumList(call, "albumList2", Shapes::albumId3));
    methods.put("getRandomSongs", call -> call.bus(CatalogAddresses.SONG_RANDOM, new JsonObject()
            .put("limit", call.integer("size", 10, 1, MAX_LIST))
            .put("genre", call.optional("genre"))
            .put("fromYear", call.params.contains("fromYear") ? call.integer("fromYear", 0, 0, 9999) : null)
            .put("toYear", call.params.contains("toYear") ? call.integer("toYear", 0, 0, 9999) : null))
        .map(page -> Element.response().with(new Element("randomSongs")
            .list("song", Shapes.each(page.getJsonArray("items"), s -> Shapes.song("song", s))))));
    methods.put("getGenres", BrowsingMethods::genres);
    methods.put("getSongsByGenre", BrowsingMethods::songsByGenre);
    methods.put("search2", call -> search(call, "searchResult2",
        Shapes::artist, Shapes::albumDirectory));
    methods.put("search3", call -> search(call, "searchResult3", Shapes::artistId3, Shapes::albumId3));
  }

  private static JsonObject id(SubsonicIds kind, String id) {
    return new JsonObject().put("id", kind.parse(id).toString());
  }

  /** Every artist, page by page (a library's artists fit in a few pages). */
  private static Future<List<JsonObject>> allArtists(Call call) {
    return artistsFrom(call, 0, new ArrayList<>());
  }

  private static Future<List<JsonObject>> artistsFrom(Call call, int offset, List<JsonObject> into) {
    return call.bus(CatalogAddresses.ARTIST_LIST, new JsonObject().put("limit", MAX_LIST).put("offset", offset).put(CatalogAddresses.UNCOUNTED, true))
        .compose(page -> {
          JsonArray items = page.getJsonArray("items");
          items.forEach(a -> into.add((JsonObject) a));
          return items.size() < MAX_LIST || !page.getBoolean("hasMore")
              ? Future.succeededFuture(into) : artistsFrom(call, offset + items.size(), into);
        });
  }

  private static Element indexed(Element root, List<JsonObject> artists, java.util.function.Function<JsonObject, Element> shape) {
    Map<String, List<Element>> byLetter = new TreeMap<>();
    for (JsonObject a : artists) {
      byLetter.computeIfAbsent(Shapes.indexLetter(a.getString("name")), k -> new ArrayList<>()).add(shape.apply(a));
    }
    List<Element> indexes = new ArrayList<>();
    byLetter.forEach((letter, list) -> indexes.add(new Element("index").set("name", letter).list("artist", list)));
    return root.list("index", indexes);
  }

  private static Future<JsonObject> albumsOf(Call call, String artistUuid) {
    return call.bus(CatalogAddresses.ALBUM_BROWSE, new JsonObject().put("order", "artist").put("artistId", artistUuid).put("limit", MAX_LIST));
  }

  private static Future<Element> artist(Call call) {
    JsonObject id = id(SubsonicIds.ARTIST, call.required("id"));
    return call.bus(CatalogAddresses.ARTIST_GET, id).compose(artist -> albumsOf(call, id.getString("id")).map(albums ->
        Element.response().with(Shapes.artistId3(artist).list("album", Shapes.each(albums.getJsonArray("items"), Shapes::albumId3)))));
  }

  private static Future<Element> album(Call call) {
    return call.bus(CatalogAddresses.ALBUM_GET, id(SubsonicIds.ALBUM, call.required("id"))).map(album -> {
      JsonArray songs = album.getJsonArray("songs");
      double duration = 0;
      String created = null;
      for (int i = 0; i < songs.size(); i++) {
        JsonObject s = songs.getJsonObject(i);
        duration += s.getDouble("duration");
        created = created == null || s.getString("createdAt").compareTo(created) > 0 ? s.getString("createdAt") : created;
      }
      album.put("duration", duration).put("createdAt", created).put("genre", songs.isEmpty() ? null : songs.getJsonObject(0).getString("genre"));
      return Element.response().with(Shapes.albumId3(album).list("song", Shapes.each(songs, s -> Shapes.song("song", s))));
    });
  }

  /** An artist's directory lists its albums; an album's lists its songs. */
  private static Future<Element> directory(Call call) {
    String id = call.required("id");
    if (SubsonicIds.kindOf(id) == SubsonicIds.ARTIST) {
      JsonObject artistId = id(SubsonicIds.ARTIST, id);
      return call.bus(CatalogAddresses.ARTIST_GET, artistId).compose(artist -> albumsOf(call, artistId.getString("id")).map(albums ->
          Element.response().with(new Element("directory").set("id", id).set("name", artist.getString("name"))
              .list("child", Shapes.each(albums.getJsonArray("items"), a -> renamed(Shapes.albumDirectory(a), "child"))))));
    }
    return call.bus(CatalogAddresses.ALBUM_GET, id(SubsonicIds.ALBUM, id)).map(album ->
        Element.response().with(new Element("directory").set("id", id)
            .set("parent", SubsonicIds.ARTIST.of(album.getString("artistId"))).set("name", album.getString("title"))
            .list("child", Shapes.each(album.getJsonArray("songs"), s -> Shapes.song("child", s)))));
  }

  private static Element renamed(Element e, String name) {
    Element copy = new Element(name);
    copy.attributes.putAll(e.attributes);
    copy.children.addAll(e.children);
    return copy;
  }

  private static Future<Element> albumList(Call call, String listName, java.util.function.Function<JsonObject, Element> shape) {
    String type = call.required("type");
    int size = call.integer("size", 10, 0, MAX_LIST);
    int offset = call.integer("offset", 0, 0, Integer.MAX_VALUE);
    JsonObject query = new JsonObject().put("order", ORDERS.get(type)).put("limit", size).put("offset", offset);
    if (type.equals("byYear")) {
      // A range given backwards (2020 to 1990) lists the years newest first.
      call.required("fromYear");
      call.required("toYear");
      int from = call.integer("fromYear", 0, 0, 9999);
      int to = call.integer("toYear", 0, 0, 9999);
      query.put("order", from <= to ? "year" : "yearDesc").put("fromYear", Math.min(from, to)).put("toYear", Math.max(from, to));
    } else if (type.equals("byGenre")) {
      query.put("order", "name").put("genre", call.required("genre"));
    } else if (query.getString("order") == null) {
      throw new SubsonicError(SubsonicError.GENERIC, "unknown album list type: " + type);
    }
    if (size == 0) {
      return Future.succeededFuture(Element.response().with(new Element(listName).list("album", List.of())));
    }
    return call.bus(CatalogAddresses.ALBUM_BROWSE, query.put(CatalogAddresses.UNCOUNTED, true))
        .map(page -> Element.response().with(new Element(listName).list("album", Shapes.each(page.getJsonArray("items"), shape))));
  }

  /** Every genre with its song and album counts; the name is the element's text. */
  private static Future<Element> genres(Call call) {
    return call.bus(CatalogAddresses.GENRE_LIST, new JsonObject()).map(list -> Element.response().with(new Element("genres")
        .list("genre", Shapes.each(list.getJsonArray("items"), g -> new Element("genre")
            .set("songCount", g.getLong("songCount")).set("albumCount", g.getLong("albumCount")).text(g.getString("name"))))));
  }

  private static Future<Element> songsByGenre(Call call) {
    String genre = call.required("genre");
    int count = call.integer("count", 10, 0, MAX_LIST);
    int offset = call.integer("offset", 0, 0, Integer.MAX_VALUE);
    if (count == 0) {
      return Future.succeededFuture(Element.response().with(new Element("songsByGenre").list("song", List.of())));
    }
    return call.bus(CatalogAddresses.SONG_LIST, new JsonObject().put("genre", genre).put("limit", count).put("offset", offset)
            .put(CatalogAddresses.UNCOUNTED, true))
        .map(page -> Element.response().with(new Element("songsByGenre")
            .list("song", Shapes.each(page.getJsonArray("items"), s -> Shapes.song("song", s)))));
  }

  /** search2/search3: artists, albums and songs matching every word; an empty query lists everything (clients sync with it). */
  private static Future<Element> search(Call call, String resultName, java.util.function.Function<JsonObject, Element> artistShape,
      java.util.function.Function<JsonObject, Element> albumShape) {
    String raw = call.optional("query");
    // Some clients send the empty query as "" (two quote marks).
    String q = raw == null ? "" : raw.strip().replaceAll("^\"|\"$", "").strip();
    Future<List<Element>> artists = page(call, "artist", CatalogAddresses.ARTIST_LIST, new JsonObject().put("q", q), artistShape);
    Future<List<Element>> albums = page(call, "album", CatalogAddresses.ALBUM_BROWSE,
        new JsonObject().put("order", "name").put("q", q), albumShape);
    Future<List<Element>> songs = page(call, "song", CatalogAddresses.SONG_LIST, new JsonObject().put("q", q), s -> Shapes.song("song", s));
    return Future.all(artists, albums, songs).map(all -> Element.response().with(new Element(resultName)
        .list("artist", artists.result()).list("album", albums.result()).list("song", songs.result())));
  }

  /** One of search's three lists: {@code <kind>Count} (default 20) from {@code <kind>Offset}. */
  private static Future<List<Element>> page(Call call, String kind, String address, JsonObject query,
      java.util.function.Function<JsonObject, Element> shape) {
    int count = call.integer(kind + "Count", 20, 0, MAX_LIST);
    int offset = call.integer(kind + "Offset", 0, 0, Integer.MAX_VALUE);
    if (count == 0) {
      return Future.succeededFuture(List.of());
    }
    // Subsonic shows no totals: nothing is counted beside the page.
    return call.bus(address, query.put("limit", count).put("offset", offset).put(CatalogAddresses.UNCOUNTED, true)).map(page -> Shapes.each(page.getJsonArray("items"), shape));
  }
}
