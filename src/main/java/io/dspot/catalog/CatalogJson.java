package io.dspot.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** Rows to the JSON shapes of docs/API.md. */
final class CatalogJson {
  private CatalogJson() {}

  static JsonObject song(Row r) {
    SongTags tags = new SongTags(r.getString("title"), r.getString("artist"), r.getString("album"), r.getString("album_artist"),
        r.getInteger("track"), r.getInteger("disc"), r.getInteger("year"), r.getString("genre"), r.getLong("duration_ms"),
        r.getInteger("bitrate"), r.getString("codec"), r.getString("content_type"));
    return new Song(r.getUUID("id"), tags, r.getUUID("artist_id"), r.getUUID("album_id"), r.getString("sha256"),
        r.getLong("size"), Boolean.TRUE.equals(r.getBoolean("demo")), r.getOffsetDateTime("created_at").toInstant()).toJson();
  }

  static JsonObject artist(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("name", r.getString("name"))
        .put("albumCount", r.getLong("album_count"))
        .put("songCount", r.getLong("song_count"));
  }

  static JsonObject album(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("title", r.getString("title"))
        .put("artistId", r.getUUID("artist_id").toString())
        .put("artist", r.getString("artist"))
        .put("year", r.getInteger("year"))
        .put("songCount", r.getLong("song_count"))
        .put("hasCover", r.getBoolean("has_cover"));
  }

  static JsonArray songs(RowSet<Row> rows) {
    return all(rows, CatalogJson::song);
  }

  static JsonArray albums(RowSet<Row> rows) {
    return all(rows, CatalogJson::album);
  }

  static JsonArray artists(RowSet<Row> rows) {
    return all(rows, CatalogJson::artist);
  }

  private static JsonArray all(RowSet<Row> rows, java.util.function.Function<Row, JsonObject> mapper) {
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(mapper.apply(r)));
    return out;
  }

  /**
   * The window column {@code total} is absent when the page is past the end (no rows); then the
   * total is counted separately, so clients still learn how many there are.
   */
  static io.vertx.core.Future<JsonObject> withTotal(JsonObject page, java.util.function.Supplier<io.vertx.core.Future<Long>> count) {
    if (!page.getJsonArray("items").isEmpty() || page.getInteger("offset") == 0) {
      return io.vertx.core.Future.succeededFuture(page);
    }
    return count.get().map(total -> page.put("total", total));
  }

  static long count(RowSet<Row> rows) {
    return rows.iterator().next().getLong(0);
  }

  /** A page answer; rows carry a {@code total} window column. */
  static JsonObject page(RowSet<Row> rows, java.util.function.Function<Row, JsonObject> mapper, int limit, int offset) {
    JsonArray items = new JsonArray();
    long total = 0;
    for (Row r : rows) {
      items.add(mapper.apply(r));
      total = r.getLong("total");
    }
    return new JsonObject().put("items", items).put("total", total).put("limit", limit).put("offset", offset);
  }
}
