package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Many songs in one ordered-log record ({@code songs.added}): what a folder import commits, so a
 * thousand songs cost a few token holds instead of a thousand. The batch is one event, applied in
 * one transaction on every node: it is there whole or not at all. Each song gets the rows a
 * {@code song.added} of its own would have given it, in the batch's order.
 */
final class SongBatch {

  /** Larger batches are refused: one record must stay small enough to relay and apply quickly. */
  static final int MAX_SONGS = 500;

  static final String SHAS_PRESENT = "SELECT sha256, id FROM songs WHERE sha256 = ANY($1)";
  static final String ARTISTS_BY_KEYS = "SELECT name_key, id FROM artists WHERE name_key = ANY($1)";
  static final String ALBUMS_BY_KEYS = "SELECT artist_id, title_key, id FROM albums WHERE artist_id = ANY($1) AND title_key = ANY($2)";

  private final OrderedLog orderedLog;
  private final String nodeId;

  SongBatch(OrderedLog orderedLog, String nodeId) {
    this.orderedLog = orderedLog;
    this.nodeId = nodeId;
  }

  /** {songs: [draft...]} → {items: [{id, duplicate}...]} in the drafts' order. */
  Future<JsonObject> add(JsonObject body) {
    JsonArray given = body.getJsonArray("songs");
    if (given == null || given.isEmpty()) {
      return Future.failedFuture(ServiceException.badRequest("songs is required: a non-empty array of songs"));
    }
    if (given.size() > MAX_SONGS) {
      return Future.failedFuture(ServiceException.badRequest("at most " + MAX_SONGS + " songs per batch, got " + given.size()));
    }
    List<SongDraft> drafts = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      SongDraft draft = draftOrNull(given.getValue(i));
      SongTags tags = draft == null ? null : draft.tags();
      // Refused here, not by a NOT NULL halfway through the batch's transaction.
      if (tags == null || tags.title() == null || tags.artist() == null || tags.album() == null || tags.codec() == null
          || tags.contentType() == null || draft.sha256() == null) {
        return Future.failedFuture(ServiceException.badRequest("song " + i + " of the batch lacks its title, artist, album, codec, "
            + "content type or sha256"));
      }
      drafts.add(draft);
    }
    return orderedLog.submit(tx -> decide(tx, drafts));
  }

  private static SongDraft draftOrNull(Object given) {
    try {
      return given instanceof JsonObject json ? SongDraft.fromJson(json) : null;
    } catch (RuntimeException e) { // a missing size or duration, a string where a number goes
      return null;
    }
  }

  /** Ids are decided here, once, by the token holder: existing rows are reused, the rest are new. */
  private Future<Decision> decide(SqlConnection tx, List<SongDraft> drafts) {
    List<String> shas = new ArrayList<>();
    List<String> artistKeys = new ArrayList<>();
    List<String> albumKeys = new ArrayList<>();
    for (SongDraft d : drafts) {
      shas.add(d.sha256());
      artistKeys.add(SongStore.key(d.tags().artist()));
      artistKeys.add(SongStore.key(d.tags().albumOwner()));
      albumKeys.add(SongStore.key(d.tags().album()));
    }
    Map<String, UUID> songBySha = new HashMap<>();
    Map<String, UUID> artistByKey = new HashMap<>();
    Map<String, UUID> albumByKey = new HashMap<>();
    return tx.preparedQuery(SHAS_PRESENT).execute(Tuple.tuple().addArrayOfString(shas.toArray(new String[0])))
        .compose(rows -> {
          rows.forEach(r -> songBySha.put(r.getString(0), r.getUUID(1)));
          return tx.preparedQuery(ARTISTS_BY_KEYS).execute(Tuple.tuple().addArrayOfString(artistKeys.toArray(new String[0])));
        })
        .compose(rows -> {
          rows.forEach(r -> artistByKey.put(r.getString(0), r.getUUID(1)));
          return tx.preparedQuery(ALBUMS_BY_KEYS).execute(Tuple.tuple().addArrayOfUUID(artistByKey.values().toArray(new UUID[0])).addArrayOfString(albumKeys.toArray(new String[0])));
        })
        .map(rows -> {
          rows.forEach(r -> albumByKey.put(albumKey(r.getUUID(0), r.getString(1)), r.getUUID(2)));
          return decision(drafts, songBySha, artistByKey, albumByKey);
        });
  }

  private Decision decision(List<SongDraft> drafts, Map<String, UUID> songBySha, Map<String, UUID> artistByKey, Map<String, UUID> albumByKey) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    JsonArray items = new JsonArray();
    JsonArray added = new JsonArray();
    for (SongDraft draft : drafts) {
      UUID known = songBySha.get(draft.sha256());
      if (known != null) {
        // Already in the library, or earlier in this batch (the same bytes under two names).
        items.add(new JsonObject().put("id", known.toString()).put("duplicate", true));
        continue;
      }
      SongTags tags = draft.tags();
      String artist = tags.artist();
      String owner = tags.albumOwner();
      UUID artistId = artistByKey.computeIfAbsent(SongStore.key(artist), k -> UUID.randomUUID());
      UUID ownerId = artistByKey.computeIfAbsent(SongStore.key(owner), k -> UUID.randomUUID());
      UUID albumId = albumByKey.computeIfAbsent(albumKey(ownerId, SongStore.key(tags.album())), k -> UUID.randomUUID());
      UUID songId = UUID.randomUUID();
      songBySha.put(draft.sha256(), songId);
      added.add(new SongAdded(songId,
          new SongAdded.Name(artistId, artist, SongStore.key(artist)),
          new SongAdded.Name(ownerId, owner, SongStore.key(owner)),
          albumId, SongStore.key(tags.album()), draft,
          SongSearch.searchText(tags.title(), artist, tags.album(), tags.albumArtist()),
          now, nodeId).toJson());
      items.add(new JsonObject().put("id", songId.toString()).put("duplicate", false));
    }
    JsonObject result = new JsonObject().put("items", items);
    return added.isEmpty() ? Decision.nothing(result) : Decision.record(CatalogEvents.SONGS_ADDED, new JsonObject().put("songs", added), result);
  }

  private static String albumKey(UUID ownerId, String titleKey) {
    return ownerId + "\n" + titleKey;
  }

  /**
   * Applies a batch with one round of statements per table (pipelined), in the batch's order, so
   * the rows are those of one {@code song.added} per song. Re-applying it changes nothing.
   */
  static Future<Void> apply(SqlConnection tx, JsonObject payload) {
    JsonArray given = payload.getJsonArray("songs");
    List<SongAdded> songs = new ArrayList<>();
    List<Tuple> artists = new ArrayList<>();
    List<Tuple> albums = new ArrayList<>();
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      SongAdded added = SongAdded.fromJson(given.getJsonObject(i));
      SongDraft draft = added.draft();
      SongTags s = draft.tags();
      songs.add(added);
      artists.add(Tuple.of(added.artist().id(), added.artist().name(), added.artist().key()));
      artists.add(Tuple.of(added.albumOwner().id(), added.albumOwner().name(), added.albumOwner().key()));
      albums.add(Tuple.of(added.albumId(), added.albumOwner().id(), s.album(), added.albumKey(), s.year(), draft.coverSha256(), draft.coverType()));
      rows.add(Tuple.from(new Object[] {
          added.songId(), draft.sha256(), s.title(), added.artist().id(), added.albumId(),
          s.albumArtist(), s.track(), s.disc(), s.year(), s.genre(),
          s.durationMs(), s.bitrateKbps(), s.codec(), s.contentType(), draft.size(),
          draft.demo(), added.searchText(), added.createdAt()}));
    }
    return tx.preparedQuery(SongSql.INSERT_ARTIST).executeBatch(artists)
        .compose(v -> tx.preparedQuery(SongSql.INSERT_ALBUM).executeBatch(albums))
        .compose(shown -> {
          List<Tuple> locations = locations(songs, shown);
          return tx.preparedQuery(SongSql.INSERT_SONG).executeBatch(rows)
              .compose(v -> locations.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(SongSql.INSERT_LOCATION).executeBatch(locations));
        })
        .mapEmpty();
  }

  /** The uploader's location rows: each song's blob, and its cover where the album shows that cover (see CatalogEvents). */
  private static List<Tuple> locations(List<SongAdded> songs, RowSet<Row> shownCovers) {
    List<Tuple> locations = new ArrayList<>();
    RowSet<Row> shown = shownCovers;
    for (SongAdded added : songs) {
      String cover = shown.iterator().next().getString("cover_sha256");
      shown = shown.next();
      if (added.location() == null) {
        continue;
      }
      if (cover != null && cover.equals(added.draft().coverSha256())) {
        locations.add(Tuple.of(cover, added.location()));
      }
      locations.add(Tuple.of(added.draft().sha256(), added.location()));
    }
    return locations;
  }
}
