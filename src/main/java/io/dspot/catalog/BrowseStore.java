package io.dspot.catalog;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Browsing the whole library: genres, years, the ids of a whole song list, songs by id, grouped search. */
final class BrowseStore {

  /** Play-all queues at most this many songs; more is answered with {@code truncated: true}. */
  static final int MAX_IDS = 10_000;
  /**
   * Ids per call for songs by id: 100 ids (3.7 kB) keep the request line under the HTTP server's
   * 4 kB limit, which answers 414 above it.
   */
  static final int MAX_BATCH = 100;
  /** The grouped search's album and artist lists are short: the songs are the paged part. */
  static final int GROUP_LIMIT = 6;

  private final Pool pool;
  private final SongStore songs;

  BrowseStore(Pool pool, SongStore songs) {
    this.pool = pool;
    this.songs = songs;
  }

  Future<JsonObject> genres() {
    return pool.query(BrowseSql.GENRES).execute().map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(r -> items.add(new JsonObject()
          .put("name", r.getString("name"))
          .put("songCount", r.getLong("song_count"))
          .put("albumCount", r.getLong("album_count"))));
      return new JsonObject().put("items", items);
    });
  }

  /** Decades in order, each with its years; the decade's album count counts an album once. */
  Future<JsonObject> years() {
    return pool.query(BrowseSql.YEARS).execute().map(rows -> {
      JsonArray decades = new JsonArray();
      JsonObject decade = null;
      for (Row r : rows) {
        JsonObject counts = new JsonObject().put("songCount", r.getLong("song_count")).put("albumCount", r.getLong("album_count"));
        if (r.getInteger("year") == null) {
          decade = counts.put("decade", r.getInteger("decade")).put("years", new JsonArray());
          decades.add(decade);
        } else {
          decade.getJsonArray("years").add(new JsonObject().put("year", r.getInteger("year")).mergeIn(counts));
        }
      }
      return new JsonObject().put("items", decades);
    });
  }

  /** Every id of the list {@code filter} describes, in its order, so a player can queue all of it cheaply. */
  Future<JsonObject> ids(SongFilter filter) {
    SongQuery.Sql sql = SongQuery.ids(filter, MAX_IDS + 1);
    return pool.preparedQuery(sql.text()).execute(sql.params()).map(rows -> {
      JsonArray ids = new JsonArray();
      for (Row r : rows) {
        if (ids.size() < MAX_IDS) {
          ids.add(r.getUUID("id").toString());
        }
      }
      return new JsonObject().put("ids", ids).put("truncated", rows.size() > MAX_IDS);
    });
  }

  /** The songs of a comma-separated id list, in that order; ids of songs that are gone are left out. */
  Future<JsonObject> byIds(String list) {
    String[] parts = list.split(",", -1);
    if (parts.length > MAX_BATCH) {
      throw ServiceException.badRequest("at most " + MAX_BATCH + " ids at a time, got " + parts.length);
    }
    UUID[] ids = new UUID[parts.length];
    for (int i = 0; i < parts.length; i++) {
      ids[i] = Ids.parse(parts[i].trim(), "song");
    }
    return pool.preparedQuery(BrowseSql.SONGS_BY_IDS).execute(Tuple.tuple().addArrayOfUUID(ids)).map(rows -> {
      Map<UUID, JsonObject> found = new HashMap<>();
      rows.forEach(r -> found.put(r.getUUID("id"), CatalogJson.song(r)));
      JsonArray items = new JsonArray();
      for (UUID id : ids) {
        if (found.containsKey(id)) {
          items.add(found.get(id));
        }
      }
      return new JsonObject().put("items", items);
    });
  }

  /**
   * A page of matching songs, and short lists of matching albums and artists, each with the marks
   * of {@code viewer} (may be null: none) read by the same statement: three statements side by side
   * (four when the song page needs its second part), not three and then three more for the marks.
   */
  Future<JsonObject> search(SongFilter filter, UUID viewer, int limit, int offset) {
    if (filter.words().isEmpty()) {
      throw ServiceException.badRequest("query parameter 'q' is required");
    }
    return Future.all(songs.list(filter, viewer, limit, offset, null, false, false),
            matches(BrowseSql.ALBUM_MATCHES, FavouriteKind.ALBUMS, filter.words(), viewer).map(rows -> marked(rows, CatalogJson::album, viewer)),
            matches(BrowseSql.ARTIST_MATCHES, FavouriteKind.ARTISTS, filter.words(), viewer).map(rows -> marked(rows, CatalogJson::artist, viewer)))
        .map(all -> new JsonObject().put("songs", all.resultAt(0)).put("albums", all.resultAt(1)).put("artists", all.resultAt(2)));
  }

  private Future<RowSet<Row>> matches(String select, FavouriteKind kind, List<String> words, UUID viewer) {
    Tuple params = Tuple.tuple();
    for (String w : words) {
      params.addString("%" + SongSearch.escapeLike(w) + "%");
    }
    String starred = "";
    if (viewer != null) {
      params.addUUID(viewer);
      starred = kind.starredAtColumn(kind == FavouriteKind.ALBUMS ? "al" : "ar", params.size());
    }
    params.addInteger(GROUP_LIMIT);
    return pool.preparedQuery(String.format(select, BrowseSql.matching("w.words", words.size()), starred, params.size())).execute(params);
  }

  private static JsonArray marked(RowSet<Row> rows, Function<Row, JsonObject> mapper, UUID viewer) {
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(viewer == null ? mapper.apply(r) : UserMarks.putStarred(mapper.apply(r), r)));
    return out;
  }
}
