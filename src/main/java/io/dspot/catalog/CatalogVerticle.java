package io.dspot.catalog;

import io.dspot.bus.BusService;
import io.dspot.bus.Ids;
import io.dspot.bus.Paging;
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
  private BusService bus;
  private MessageConsumer<JsonObject> blobRelease;

  public CatalogVerticle(Pool pool, String nodeId, OrderedLog orderedLog) {
    this.pool = pool;
    this.nodeId = nodeId;
    this.orderedLog = orderedLog;
    CatalogEvents.register(orderedLog, nodeId);
    orderedLog.onRebuild(tx -> tx.query(CatalogEvents.WIPE).execute().mapEmpty());
  }

  @Override
  public Future<?> start() {
    SongStore songs = new SongStore(pool, orderedLog, nodeId);
    LibraryStore library = new LibraryStore(pool);
    PlaylistStore playlists = new PlaylistStore(pool, orderedLog);
    AlbumBrowse albumLists = new AlbumBrowse(pool);
    bus = new BusService(vertx)
        .on(CatalogAddresses.SONG_ADD, b -> songs.add(SongDraft.fromJson(b)))
        .on(CatalogAddresses.SONG_GET, b -> songs.get(id(b, "song")))
        .on(CatalogAddresses.SONG_LIST, b -> songs.list(b.getString("q"), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.SONG_DELETE, b -> songs.delete(id(b, "song")))
        .on(CatalogAddresses.ARTIST_LIST, b -> library.artists(b.getString("q"), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.ARTIST_GET, b -> library.artist(id(b, "artist")))
        .on(CatalogAddresses.ALBUM_LIST, b -> library.albums(
            b.getString("artistId") == null ? null : Ids.parse(b.getString("artistId"), "artist"), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.ALBUM_GET, b -> library.album(id(b, "album")))
        .on(CatalogAddresses.ALBUM_COVER, b -> library.cover(id(b, "album")))
        .on(CatalogAddresses.ALBUM_BROWSE, albumLists::albums)
        .on(CatalogAddresses.SONG_RANDOM, albumLists::randomSongs)
        .on(CatalogAddresses.PLAYLIST_LIST, b -> playlists.list(caller(b), Paging.limit(b), Paging.offset(b)))
        .on(CatalogAddresses.PLAYLIST_CREATE, b -> playlists.create(caller(b), b))
        .on(CatalogAddresses.PLAYLIST_GET, b -> playlists.get(caller(b), id(b, "playlist")))
        .on(CatalogAddresses.PLAYLIST_UPDATE, b -> playlists.update(caller(b), id(b, "playlist"), b))
        .on(CatalogAddresses.PLAYLIST_DELETE, b -> playlists.delete(caller(b), id(b, "playlist")));
    blobRelease = vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED, m -> releaseBlobs(SongDeleted.fromJson(m.body())));
    return Future.all(bus.ready(), blobRelease.completion());
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
}
