package io.dspot.catalog;

import io.dspot.bus.BusService;
import io.dspot.bus.Ids;
import io.dspot.bus.Paging;
import io.dspot.config.NodeConfig;
import io.dspot.log.OrderedLog;
import io.dspot.storage.StorageAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * The catalog module's front door: binds its addresses to the stores, and tells storage which
 * blobs a song deletion freed once this node applied it.
 */
public final class CatalogVerticle extends VerticleBase {

  /** Storage listens on this node only: each node drops its own copy of the bytes. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Pool pool;
  private final String nodeId;
  private final OrderedLog orderedLog;
  private final NodeConfig.Catalog config;
  private BusService bus;
  private MessageConsumer<JsonObject> blobRelease;

  public CatalogVerticle(Pool pool, String nodeId, OrderedLog orderedLog, NodeConfig.Catalog config) {
    this.pool = pool;
    this.config = config;
    this.nodeId = nodeId;
    this.orderedLog = orderedLog;
    CatalogEvents.register(orderedLog, nodeId);
    UserLibraryEvents.register(orderedLog);
    PlayQueueStore.register(orderedLog);
    orderedLog.onRebuild(tx -> tx.query(CatalogEvents.WIPE).execute().mapEmpty());
  }

  @Override
  public Future<?> start() {
    UserMarks marks = new UserMarks(pool);
    SongStore songs = new SongStore(pool, orderedLog, nodeId, marks);
    LibraryStore library = new LibraryStore(pool);
    PlaylistStore playlists = new PlaylistStore(pool, orderedLog);
    BrowseStore browse = new BrowseStore(pool, songs);
    UserLibraryStore mine = new UserLibraryStore(pool, orderedLog, marks);
    HomeStore home = new HomeStore(pool);
    AlbumBrowse albumLists = new AlbumBrowse(pool);
    PlayQueueStore playQueues = new PlayQueueStore(pool, orderedLog, marks);
    // Every answer is built from rows for its request (no store keeps one).
    bus = new BusService(vertx).freshReplies()
        .on(CatalogAddresses.SONG_ADD, b -> songs.add(SongDraft.fromJson(b)))
        .on(CatalogAddresses.SONGS_ADD, new SongBatch(orderedLog, nodeId)::add)
        .on(CatalogAddresses.SONG_GET, b -> marks.song(viewer(b), songs.get(id(b, "song"))))
        .on(CatalogAddresses.SONG_LIST, b -> songs.list(SongFilter.fromJson(b), viewer(b), Paging.limit(b), Paging.offset(b),
            b.getString(CatalogAddresses.AFTER), b.getBoolean(CatalogAddresses.EXACT_TOTAL, false), b.getBoolean(CatalogAddresses.UNCOUNTED, false)))
        .on(CatalogAddresses.SONG_IDS, b -> browse.ids(SongFilter.fromJson(b)))
        .on(CatalogAddresses.SONG_BATCH, b -> marks.songPage(viewer(b), browse.byIds(b.getString("ids", ""))))
        .on(CatalogAddresses.SEARCH, b -> browse.search(SongFilter.fromJson(b), viewer(b), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.GENRE_LIST, b -> browse.genres())
        .on(CatalogAddresses.YEAR_LIST, b -> browse.years())
        .on(CatalogAddresses.SONG_DELETE, b -> songs.delete(id(b, "song")))
        .on(CatalogAddresses.ARTIST_LIST, b -> marks.artistPage(viewer(b),
            library.artists(b.getString("q"), SongFilter.fromJson(b.copy().put("q", null)), Paging.limit(b), Paging.offset(b),
                b.getBoolean(CatalogAddresses.UNCOUNTED, false))))
        .on(CatalogAddresses.ARTIST_GET, b -> marks.artist(viewer(b), library.artist(id(b, "artist"))))
        .on(CatalogAddresses.ALBUM_LIST, b -> marks.albumPage(viewer(b), library.albums(
            b.getString("artistId") == null ? null : Ids.parse(b.getString("artistId"), "artist"), SongFilter.fromJson(b), Paging.limit(b), Paging.offset(b))))
        .on(CatalogAddresses.ALBUM_GET, b -> marks.album(viewer(b), library.album(id(b, "album"))))
        .on(CatalogAddresses.ALBUM_COVER, b -> library.cover(id(b, "album")))
        .on(CatalogAddresses.ALBUM_BROWSE, albumLists::albums)
        .on(CatalogAddresses.SONG_RANDOM, albumLists::randomSongs)
        .on(CatalogAddresses.PLAYLIST_LIST, b -> playlists.list(caller(b), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.PLAYLIST_CREATE, b -> marks.withSongs(caller(b), playlists.create(caller(b), b)))
        .on(CatalogAddresses.PLAYLIST_GET, b -> marks.withSongs(caller(b), playlists.get(caller(b), id(b, "playlist"))))
        .on(CatalogAddresses.PLAYLIST_UPDATE, b -> marks.withSongs(caller(b), playlists.update(caller(b), id(b, "playlist"), b)))
        .on(CatalogAddresses.PLAYLIST_DELETE, b -> playlists.delete(caller(b), id(b, "playlist")))
        .on(CatalogAddresses.FAVOURITE_STAR, b -> mine.star(caller(b), kind(b), favourite(b)))
        .on(CatalogAddresses.FAVOURITE_UNSTAR, b -> mine.unstar(caller(b), kind(b), favourite(b)))
        .on(CatalogAddresses.FAVOURITE_LIST, b -> mine.favourites(caller(b), b.getString("kind"), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.RATING_SET, b -> mine.rate(caller(b), id(b, "song"), b.getValue("rating")))
        .on(CatalogAddresses.RATING_CLEAR, b -> mine.clearRating(caller(b), id(b, "song")))
        .on(CatalogAddresses.PLAY_RECORD, b -> mine.recordPlay(caller(b), b.getValue("songId"), b.getValue("playedAt")))
        .on(CatalogAddresses.PLAY_HISTORY, b -> mine.history(caller(b), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.HOME, b -> home.home(caller(b)))
        .on(CatalogAddresses.PLAY_QUEUE_GET, b -> playQueues.get(caller(b)))
        .on(CatalogAddresses.PLAY_QUEUE_SAVE, b -> playQueues.save(caller(b), b));
    blobRelease = vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED, m -> releaseBlobs(SongDeleted.fromJson(m.body())));
    // Deployed before the web verticle: the node takes requests once its search path is warm.
    return Future.all(bus.ready(), blobRelease.completion())
        .compose(v -> new SearchWarmUp(vertx, pool, config.warmUpFromSongs(), config.warmUpMaxSeconds() * 1000L).run());
  }

  @Override
  public Future<?> stop() {
    return Future.all(bus.close(), blobRelease.unregister());
  }

  /** Once this node applied a deletion, the song's bytes (and a cover nobody shows now) may go from its disk. */
  private void releaseBlobs(SongDeleted gone) {
    JsonArray hashes = new JsonArray().add(gone.sha256());
    if (gone.coverSha256() != null) {
      hashes.add(gone.coverSha256());
    }
    vertx.eventBus().send(StorageAddresses.DELETE_BLOBS, new JsonObject().put(StorageAddresses.BLOBS, hashes), LOCAL);
  }

  private static UUID id(JsonObject body, String what) {
    return Ids.parse(body.getString("id"), what);
  }

  private static UUID caller(JsonObject body) {
    return UUID.fromString(body.getString("callerId"));
  }

  /** Whose marks (stars, ratings, plays) a listing shows; none when another module asks. */
  private static UUID viewer(JsonObject body) {
    return body.getString("callerId") == null ? null : caller(body);
  }

  private static FavouriteKind kind(JsonObject body) {
    return FavouriteKind.parse(body.getString("kind"));
  }

  /** The kind is checked first: /api/favourites/tracks/x says which of the two is wrong. */
  private static UUID favourite(JsonObject body) {
    return Ids.parse(body.getString("id"), kind(body).noun);
  }
}
