package io.dspot.subsonic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The catalog's JSON (docs/API.md) in the shapes of the Subsonic 1.16.1 schema: {@code Child}
 * (a song, or an album as a directory), {@code AlbumID3}, {@code ArtistID3}, {@code Playlist}.
 * Durations are whole seconds; ids carry their type prefix ({@link SubsonicIds}).
 */
final class Shapes {

  /** The one music folder: the whole cluster's library. */
  static final int MUSIC_FOLDER_ID = 1;

  private Shapes() {}

  /** A song as a {@code Child}, under the element name the method uses (song, child, entry). */
  static Element song(String elementName, JsonObject s) {
    String suffix = suffix(s.getString("contentType"));
    return new Element(elementName)
        .set("id", SubsonicIds.SONG.of(s.getString("id")))
        .set("parent", SubsonicIds.ALBUM.of(s.getString("albumId")))
        .set("isDir", false)
        .set("title", s.getString("title"))
        .set("album", s.getString("album"))
        .set("artist", s.getString("artist"))
        .set("track", s.getInteger("track"))
        .set("year", s.getInteger("year"))
        .set("genre", s.getString("genre"))
        .set("coverArt", SubsonicIds.ALBUM.of(s.getString("albumId")))
        .set("size", s.getLong("size"))
        .set("contentType", s.getString("contentType"))
        .set("suffix", suffix)
        .set("duration", seconds(s.getValue("duration")))
        .set("bitRate", s.getInteger("bitrate"))
        .set("path", path(s, suffix))
        .set("discNumber", s.getInteger("disc"))
        .set("created", s.getString("createdAt"))
        .set("albumId", SubsonicIds.ALBUM.of(s.getString("albumId")))
        .set("artistId", SubsonicIds.ARTIST.of(s.getString("artistId")))
        .set("type", "music")
        .set("isVideo", false)
        .set("mediaType", "song")
        .set("starred", s.getString("starredAt"))
        .set("userRating", positive(s.getInteger("rating")))
        .set("playCount", s.getLong("playCount"))
        .set("played", s.getString("lastPlayed"));
  }

  /** Subsonic leaves out a rating nobody gave; the catalog says 0. */
  private static Integer positive(Integer rating) {
    return rating == null || rating <= 0 ? null : rating;
  }

  /** The file extension apps expect from the stored type (the catalog's codec is a description, e.g. "MPEG-1 Layer 3"). */
  static String suffix(String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    if (type.contains("opus")) {
      return "opus";
    }
    return switch (type.split(";", 2)[0].trim()) {
      case "audio/mpeg" -> "mp3";
      case "audio/flac", "audio/x-flac" -> "flac";
      case "audio/ogg" -> "ogg";
      case "audio/mp4", "audio/x-m4a" -> "m4a";
      case "audio/wav", "audio/x-wav", "audio/wave" -> "wav";
      default -> "bin";
    };
  }

  /** A virtual path (there is no folder tree: songs live in a content-addressed store); clients show it, some sort by it. */
  private static String path(JsonObject s, String suffix) {
    Integer track = s.getInteger("track");
    String file = (track == null ? "" : String.format("%02d - ", track)) + s.getString("title");
    return String.join("/", clean(s.getString("artist")), clean(s.getString("album")), clean(file)) + "." + suffix;
  }

  private static String clean(String part) {
    return part == null ? "" : part.replace('/', '_');
  }

  /** An album as an {@code AlbumID3}. */
  static Element albumId3(JsonObject a) {
    return albumFields(new Element("album"), a)
        .set("name", a.getString("title"));
  }

  /** An album as a directory {@code Child} (getAlbumList, search2, an artist's directory). */
  static Element albumDirectory(JsonObject a) {
    return albumFields(new Element("album").set("parent", SubsonicIds.ARTIST.of(a.getString("artistId"))).set("isDir", true), a)
        .set("title", a.getString("title"))
        .set("album", a.getString("title"));
  }

  private static Element albumFields(Element e, JsonObject a) {
    return e.set("id", SubsonicIds.ALBUM.of(a.getString("id")))
        .set("artist", a.getString("artist"))
        .set("artistId", SubsonicIds.ARTIST.of(a.getString("artistId")))
        .set("coverArt", Boolean.TRUE.equals(a.getBoolean("hasCover")) ? SubsonicIds.ALBUM.of(a.getString("id")) : null)
        .set("songCount", a.getLong("songCount"))
        .set("duration", seconds(a.getValue("duration", 0)))
        .set("created", a.getString("createdAt"))
        .set("year", a.getInteger("year"))
        .set("genre", a.getString("genre"))
        .set("starred", a.getString("starredAt"))
        .set("playCount", a.getLong("playCount"))
        .set("played", a.getString("lastPlayed"));
  }

  /** An artist as a directory-style {@code Artist} (getIndexes, search2, getStarred). */
  static Element artist(JsonObject ar) {
    return new Element("artist")
        .set("id", SubsonicIds.ARTIST.of(ar.getString("id")))
        .set("name", ar.getString("name"))
        .set("starred", ar.getString("starredAt"));
  }

  /** An artist as an {@code ArtistID3}: an {@code Artist} with its album count. */
  static Element artistId3(JsonObject ar) {
    return artist(ar).set("albumCount", ar.getLong("albumCount"));
  }

  /** A playlist's header; {@code songs} (when known) give its length. */
  static Element playlist(JsonObject p, String ownerName) {
    JsonArray songs = p.getJsonArray("songs");
    long duration = 0;
    if (songs != null) {
      for (int i = 0; i < songs.size(); i++) {
        duration += seconds(songs.getJsonObject(i).getValue("duration"));
      }
    }
    return new Element("playlist")
        .set("id", SubsonicIds.PLAYLIST.of(p.getString("id")))
        .set("name", p.getString("name"))
        .set("owner", ownerName)
        .set("public", false)
        .set("songCount", p.getLong("songCount"))
        .set("duration", duration)
        // The catalog keeps one time per playlist, its last change; it stands for both.
        .set("created", p.getString("updatedAt"))
        .set("changed", p.getString("updatedAt"));
  }

  static List<Element> each(JsonArray items, Function<JsonObject, Element> shape) {
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(shape.apply(items.getJsonObject(i)));
    }
    return out;
  }

  static long seconds(Object duration) {
    return duration instanceof Number n ? Math.round(n.doubleValue()) : 0;
  }

  /** The letter an artist is indexed under: its first letter, upper case, or # for anything else. */
  static String indexLetter(String name) {
    if (name == null || name.isBlank()) {
      return "#";
    }
    int first = name.strip().codePointAt(0);
    return Character.isLetter(first) ? new String(Character.toChars(Character.toUpperCase(first))) : "#";
  }
}
