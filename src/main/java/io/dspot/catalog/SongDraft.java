package io.dspot.catalog;

import io.vertx.core.json.JsonObject;

/**
 * A song as ingest hands it to the catalog ({@link CatalogAddresses#SONG_ADD}): its tags and
 * where its bytes are (the content's SHA-256, the cover's). Its JSON form lives here and nowhere else.
 *
 * @param coverSha256 the stored cover art, or null (then {@code coverType} is null too)
 */
public record SongDraft(SongTags tags, String sha256, long size, String coverSha256, String coverType, boolean demo) {

  public JsonObject toJson() {
    return tags.putInto(new JsonObject().put("sha256", sha256).put("size", size))
        .put("coverSha256", coverSha256)
        .put("coverType", coverType)
        .put("demo", demo);
  }

  public static SongDraft fromJson(JsonObject json) {
    return new SongDraft(SongTags.fromJson(json), json.getString("sha256"), json.getLong("size"),
        json.getString("coverSha256"), json.getString("coverType"), json.getBoolean("demo", false));
  }
}
