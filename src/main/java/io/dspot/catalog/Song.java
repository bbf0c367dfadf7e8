package io.dspot.catalog;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A song as the catalog answers it ({@link CatalogAddresses#SONG_GET}, lists, albums): the JSON
 * shape of docs/API.md, written and read here only. {@code artist} and {@code album} in the tags
 * are the names the catalog files the song under.
 */
public record Song(UUID id, SongTags tags, UUID artistId, UUID albumId, String sha256, long size, boolean demo, Instant createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", tags.title())
        .put("artist", tags.artist())
        .put("artistId", artistId.toString())
        .put("album", tags.album())
        .put("albumId", albumId.toString())
        .put("albumArtist", tags.albumArtist())
        .put("track", tags.track())
        .put("disc", tags.disc())
        .put("year", tags.year())
        .put("genre", tags.genre())
        .put("duration", tags.durationMs() / 1000.0)
        .put("bitrate", tags.bitrateKbps())
        .put("codec", tags.codec())
        .put("contentType", tags.contentType())
        .put("size", size)
        .put("sha256", sha256)
        .put("demo", demo)
        .put("createdAt", createdAt.toString());
  }

  public static Song fromJson(JsonObject json) {
    SongTags tags = SongTags.fromJson(json, Math.round(json.getDouble("duration") * 1000));
    return new Song(UUID.fromString(json.getString("id")), tags, UUID.fromString(json.getString("artistId")),
        UUID.fromString(json.getString("albumId")), json.getString("sha256"), json.getLong("size"),
        json.getBoolean("demo", false), Instant.parse(json.getString("createdAt")));
  }
}
