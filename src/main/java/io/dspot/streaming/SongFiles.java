package io.dspot.streaming;

import io.dspot.bus.Ids;
import io.dspot.bus.LruCache;
import io.dspot.bus.RateLimitedWarning;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.catalog.Song;
import io.dspot.catalog.SongDeleted;
import io.dspot.cluster.LiveNodes;
import io.dspot.cluster.RelayClient;
import io.dspot.log.LogAddresses;
import io.dspot.replication.ReplicationAddresses;
import io.dspot.storage.BlobStore;
import io.dspot.storage.StorageAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Song id → the stored file to stream, and where its bytes come from: this node's disk, or the
 * live nodes that hold it. Seeking fires many range requests at one song, so a resolved song is
 * remembered: one found on this node's disk until the song is deleted or its blob is found lost
 * (songs are immutable: content-addressed); one relayed from other nodes, with its holders, until
 * anything changes where songs are (a replica added or dropped anywhere, a member joining or
 * leaving) and at most {@link #RELAYED_FRESH_MILLIS}. One instance per event loop; not
 * thread-safe on purpose.
 */
final class SongFiles {

  private static final int CAPACITY = 10_000;
  private static final int RELAYED_CAPACITY = 1_000;
  /**
   * A safety net only: every change of the location index or the membership clears relayed songs
   * at once, so a song that lands here switches to sendFile as soon as its replica is recorded.
   */
  private static final long RELAYED_FRESH_MILLIS = 5_000;

  private final Vertx vertx;
  private final BlobStore blobs;
  private final RelayClient relay;
  private final BlobHolders holders;
  private final RateLimitedWarning failovers = ProxiedBlob.failoverWarnings();
  private final List<MessageConsumer<JsonObject>> evictions;
  private final LruCache<String, StreamableFile> local = LruCache.bounded(CAPACITY);
  private final LruCache<String, StreamableFile> relayed = LruCache.expiring(RELAYED_CAPACITY, RELAYED_FRESH_MILLIS);
  private final OpenBlobs openFiles;
  /** Bumped whenever relayed songs are forgotten: a lookup that started before must not put back what it found. */
  private long whereaboutsChanged;

  SongFiles(Vertx vertx, BlobStore blobs, RelayClient relay, String selfNodeId) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.relay = relay;
    this.holders = new BlobHolders(vertx, selfNodeId);
    this.openFiles = new OpenBlobs(vertx);
    // Open files are all closed on these (rare) events: a deleted song stops streaming at once, and
    // a blob deleted from disk does not keep its space while a descriptor holds it.
    this.evictions = List.of(
        vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED, m -> {
          String id = SongDeleted.fromJson(m.body()).id().toString();
          local.remove(id);
          relayed.remove(id);
          openFiles.closeAll();
        }),
        vertx.eventBus().localConsumer(StorageAddresses.BLOB_LOST, m -> {
          String etag = etagOf(m.body().getString(StorageAddresses.BLOB));
          local.removeIf(file -> file.etag().equals(etag));
          openFiles.closeAll();
        }),
        vertx.eventBus().localConsumer(LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICA_ADDED, m -> forgetRelayed()),
        vertx.eventBus().localConsumer(LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICAS_ADDED, m -> forgetRelayed()),
        vertx.eventBus().localConsumer(LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICA_DROPPED, m -> {
          forgetRelayed();
          openFiles.closeAll();
        }),
        vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> forgetRelayed()));
  }

  /**
   * The song's file, from this node's disk when it holds the blob, else relayed from the live
   * nodes that do. Fails with 400 for a malformed id, 404 for an unknown song, and
   * {@link SongUnavailable} when this node lacks the blob and no live node is listed as holding it.
   */
  Future<StreamableFile> resolve(String songId) {
    String id = Ids.parse(songId, "song").toString();
    StreamableFile known = local.get(id);
    if (known == null) {
      known = relayed.get(id);
    }
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long asOf = whereaboutsChanged;
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(reply -> {
      Song song = Song.fromJson(reply.body());
      Path path = blobs.pathFor(song.sha256());
      return vertx.fileSystem().props(path.toString()).transform(props -> {
        if (props.succeeded() && props.result().isRegularFile() && props.result().size() == song.size()) {
          StreamableFile file = fileOf(song, new LocalBlob(path, openFiles));
          local.put(id, file);
          return Future.succeededFuture(file);
        }
        return fromHolders(song).onSuccess(file -> {
          if (asOf == whereaboutsChanged) {
            relayed.put(id, file);
          }
        });
      });
    });
  }

  private void forgetRelayed() {
    whereaboutsChanged++;
    relayed.clear();
  }

  private Future<StreamableFile> fromHolders(Song song) {
    String unavailable = "song " + song.id() + " (" + song.tags().title() + "): no node holding it is reachable";
    return holders.others(song.sha256(), unavailable)
        .map(others -> fileOf(song, new ProxiedBlob(relay, song.sha256(), song.size(), others, unavailable, failovers)));
  }

  private static StreamableFile fileOf(Song song, SongBytes bytes) {
    return new StreamableFile(bytes, song.size(), etagOf(song.sha256()), song.createdAt().truncatedTo(ChronoUnit.SECONDS),
        song.tags().contentType());
  }

  private static String etagOf(String sha256) {
    return "\"" + sha256 + "\"";
  }

  Future<Void> close() {
    openFiles.closeAll();
    return Future.join(evictions.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
