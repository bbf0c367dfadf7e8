package io.dspot.streaming;

import io.dspot.bus.Ids;
import io.dspot.bus.LruCache;
import io.dspot.bus.RateLimitedWarning;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.catalog.Song;
import io.dspot.catalog.SongDeleted;
import io.dspot.cluster.PeerClient;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

/**
 * Song id → the stored file to stream, and where its bytes come from: this node's disk, or the
 * live nodes that hold it. Seeking fires many range requests at one song, so a file found on this
 * node's disk is remembered (songs are immutable: content-addressed) until the song is deleted. One
 * instance per event loop; not thread-safe on purpose.
 */
final class SongFiles {

  private static final int CAPACITY = 10_000;

  private final Vertx vertx;
  private final BlobStore blobs;
  private final PeerClient peers;
  private final BlobHolders holders;
  private final RateLimitedWarning failovers = ProxiedBlob.failoverWarnings();
  private final MessageConsumer<JsonObject> evictions;
  private final LruCache<String, StreamableFile> cache = LruCache.bounded(CAPACITY);

  SongFiles(Vertx vertx, BlobStore blobs, PeerClient peers, String selfNodeId) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.peers = peers;
    this.holders = new BlobHolders(vertx, selfNodeId);
    this.evictions = vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED,
        m -> cache.remove(SongDeleted.fromJson(m.body()).id().toString()));
  }

  /**
   * The song's file, from this node's disk when it holds the blob, else relayed from the live
   * nodes that do. Fails with 400 for a malformed id, 404 for an unknown song, and
   * {@link SongUnavailable} when this node lacks the blob and no live node is listed as holding it.
   */
  Future<StreamableFile> resolve(String songId) {
    String id = Ids.parse(songId, "song").toString();
    StreamableFile known = cache.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(reply -> {
      Song song = Song.fromJson(reply.body());
      Path path = blobs.pathFor(song.sha256());
      // Checked once, not per request: content-addressed files do not change. A song found
      // elsewhere is not remembered: it may land here, or its holders change, at any time.
      return vertx.fileSystem().props(path.toString()).transform(props -> {
        if (props.succeeded() && props.result().isRegularFile() && props.result().size() == song.size()) {
          StreamableFile file = fileOf(song, new LocalBlob(path));
          cache.put(id, file);
          return Future.succeededFuture(file);
        }
        return fromHolders(song);
      });
    });
  }

  private Future<StreamableFile> fromHolders(Song song) {
    String unavailable = "song " + song.id() + " (" + song.tags().title() + "): no node holding it is reachable";
    return holders.others(song.sha256(), unavailable)
        .map(others -> fileOf(song, new ProxiedBlob(peers, song.sha256(), song.size(), others, unavailable, failovers)));
  }

  private static StreamableFile fileOf(Song song, SongBytes bytes) {
    return new StreamableFile(bytes, song.size(), "\"" + song.sha256() + "\"",
        song.createdAt().truncatedTo(ChronoUnit.SECONDS), song.tags().contentType());
  }

  Future<Void> close() {
    return evictions.unregister();
  }
}
