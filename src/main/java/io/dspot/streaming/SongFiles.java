package io.dspot.streaming;

import io.dspot.bus.Ids;
import io.dspot.bus.LruCache;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.catalog.Song;
import io.dspot.catalog.SongDeleted;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;

/**
 * Song id → the stored file to stream. Seeking fires many range requests at one song, so answers
 * are remembered (songs are immutable: content-addressed) until the song is deleted. One instance
 * per event loop; not thread-safe on purpose.
 */
final class SongFiles {

  private static final int CAPACITY = 10_000;

  private final Vertx vertx;
  private final BlobStore blobs;
  private final MessageConsumer<JsonObject> evictions;
  private final LruCache<String, StreamableFile> cache = LruCache.bounded(CAPACITY);

  SongFiles(Vertx vertx, BlobStore blobs) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.evictions = vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED,
        m -> cache.remove(SongDeleted.fromJson(m.body()).id().toString()));
  }

  /** The song's file; fails with 400 for a malformed id, 404 for an unknown song or missing data. */
  Future<StreamableFile> resolve(String songId) {
    String id = Ids.parse(songId, "song").toString();
    StreamableFile known = cache.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(reply -> {
      Song song = Song.fromJson(reply.body());
      StreamableFile file = new StreamableFile(
          blobs.pathFor(song.sha256()),
          song.size(),
          "\"" + song.sha256() + "\"",
          song.createdAt().truncatedTo(ChronoUnit.SECONDS),
          song.tags().contentType());
      // Checked once, not per request: content-addressed files do not change.
      return vertx.fileSystem().props(file.path().toString()).transform(props -> {
        if (props.failed() || !props.result().isRegularFile() || props.result().size() != file.size()) {
          return Future.failedFuture(ServiceException.notFound("song data missing"));
        }
        cache.put(id, file);
        return Future.succeededFuture(file);
      });
    });
  }

  Future<Void> close() {
    return evictions.unregister();
  }
}
