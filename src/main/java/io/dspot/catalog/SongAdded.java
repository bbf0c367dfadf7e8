package io.dspot.catalog;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The payload of a {@code song.added} event: the draft plus everything the token holder decided
 * (ids, name keys, search text, time), so every node applies it to identical rows. Events are
 * stored and replayed: the JSON keys below must not change.
 */
record SongAdded(
    UUID songId,
    Name artist,
    Name albumOwner,
    UUID albumId,
    String albumKey,
    SongDraft draft,
    String searchText,
    OffsetDateTime createdAt,
    String location) {

  /** An artist row: its id, its name as tagged and the key that makes spellings one artist. */
  record Name(UUID id, String name, String key) {

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("name", name).put("key", key);
    }

    static Name fromJson(JsonObject json) {
      return new Name(UUID.fromString(json.getString("id")), json.getString("name"), json.getString("key"));
    }
  }

  JsonObject toJson() {
    SongTags tags = draft.tags();
    return new JsonObject()
        .put("artist", artist.toJson())
        .put("albumOwner", albumOwner.toJson())
        .put("album", new JsonObject()
            .put("id", albumId.toString())
            .put("title", tags.album())
            .put("key", albumKey)
            .put("year", tags.year())
            .put("coverSha256", draft.coverSha256())
            .put("coverType", draft.coverType()))
        .put("song", new JsonObject()
            .put("id", songId.toString())
            .put("sha256", draft.sha256())
            .put("title", tags.title())
            .put("albumArtist", tags.albumArtist())
            .put("track", tags.track())
            .put("disc", tags.disc())
            .put("year", tags.year())
            .put("genre", tags.genre())
            .put("durationMs", tags.durationMs())
            .put("bitrate", tags.bitrateKbps())
            .put("codec", tags.codec())
            .put("contentType", tags.contentType())
            .put("size", draft.size())
            .put("demo", draft.demo())
            .put("searchText", searchText)
            .put("createdAt", createdAt.toString()))
        .put("location", location);
  }

  static SongAdded fromJson(JsonObject json) {
    Name artist = Name.fromJson(json.getJsonObject("artist"));
    JsonObject album = json.getJsonObject("album");
    JsonObject song = json.getJsonObject("song");
    SongTags tags = new SongTags(
        song.getString("title"),
        artist.name(),
        album.getString("title"),
        song.getString("albumArtist"),
        song.getInteger("track"),
        song.getInteger("disc"),
        song.getInteger("year"),
        song.getString("genre"),
        song.getLong("durationMs"),
        song.getInteger("bitrate"),
        song.getString("codec"),
        song.getString("contentType"));
    SongDraft draft = new SongDraft(tags, song.getString("sha256"), song.getLong("size"),
        album.getString("coverSha256"), album.getString("coverType"), song.getBoolean("demo", false));
    return new SongAdded(
        UUID.fromString(song.getString("id")),
        artist,
        Name.fromJson(json.getJsonObject("albumOwner")),
        UUID.fromString(album.getString("id")),
        album.getString("key"),
        draft,
        song.getString("searchText"),
        OffsetDateTime.parse(song.getString("createdAt")),
        json.getString("location"));
  }
}
