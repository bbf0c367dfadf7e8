package io.dspot.catalog;

import io.vertx.core.json.JsonObject;

/**
 * What a song's tags and audio properties say, cleaned up by ingest: the part of a
 * {@link SongDraft} that describes the music rather than where its bytes are.
 *
 * @param albumArtist the album artist tag, or null; the album then belongs to {@code artist}
 */
public record SongTags(
    String title,
    String artist,
    String album,
    String albumArtist,
    Integer track,
    Integer disc,
    Integer year,
    String genre,
    long durationMs,
    Integer bitrateKbps,
    String codec,
    String contentType) {

  /** Who the album belongs to: the album artist when tagged, else the song's artist. */
  public String albumOwner() {
    return albumArtist != null ? albumArtist : artist;
  }

  /** Adds the tags to {@code json} under the keys every song message uses. */
  JsonObject putInto(JsonObject json) {
    return json
        .put("title", title)
        .put("artist", artist)
        .put("album", album)
        .put("albumArtist", albumArtist)
        .put("track", track)
        .put("disc", disc)
        .put("year", year)
        .put("genre", genre)
        .put("durationMs", durationMs)
        .put("bitrate", bitrateKbps)
        .put("codec", codec)
        .put("contentType", contentType);
  }

  static SongTags fromJson(JsonObject json) {
    return fromJson(json, json.getLong("durationMs"));
  }

  /** For shapes that give the duration otherwise (the API's seconds); every other key is the same. */
  static SongTags fromJson(JsonObject json, long durationMs) {
    return new SongTags(
        json.getString("title"),
        json.getString("artist"),
        json.getString("album"),
        json.getString("albumArtist"),
        json.getInteger("track"),
        json.getInteger("disc"),
        json.getInteger("year"),
        json.getString("genre"),
        durationMs,
        json.getInteger("bitrate"),
        json.getString("codec"),
        json.getString("contentType"));
  }
}
