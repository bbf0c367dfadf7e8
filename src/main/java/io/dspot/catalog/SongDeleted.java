package io.dspot.catalog;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A song's deletion: the payload of a {@code song.deleted} event and the body of
 * {@link CatalogAddresses#SONG_DELETED}. Events are stored and replayed: the keys must not change.
 *
 * @param coverSha256 the album's cover when this deletion leaves it unused, else null
 */
public record SongDeleted(UUID id, String sha256, UUID albumId, UUID artistId, String coverSha256) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("sha256", sha256)
        .put("albumId", albumId.toString())
        .put("artistId", artistId.toString());
    return coverSha256 == null ? json : json.put("coverSha256", coverSha256);
  }

  public static SongDeleted fromJson(JsonObject json) {
    return new SongDeleted(
        UUID.fromString(json.getString("id")),
        json.getString("sha256"),
        UUID.fromString(json.getString("albumId")),
        UUID.fromString(json.getString("artistId")),
        json.getString("coverSha256"));
  }
}
