package io.dspot.storage;

import io.dspot.bus.BusService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's blob files: removes the bytes others tell it are no longer needed here, answers
 * {@code storage.status}, announces blobs found corrupt ({@code storage.blob.lost}) and runs the
 * scrub on a thread of its own, so its paced reads never hold a shared worker.
 */
public final class StorageVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StorageVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final BlobStore blobs;
  private final Scrub scrub;
  /** Between two scrub passes: a small store is not re-read in a loop, an idle node stays idle. */
  private final long restBetweenPassesMillis;
  private MessageConsumer<JsonObject> deletions;
  private BusService bus;
  private WorkerExecutor scrubThread;
  private long restTimer = -1;
  private boolean stopping;

  /**
   * {@code scrubBytesPerSecond}: the scrub's pace ({@code replication.scrubBytesPerSecond}); 0 turns it off.
   * {@code restBetweenPassesMillis}: from the end of one pass to the start of the next ({@code replication.scrubRestSeconds}).
   */
  public StorageVerticle(BlobStore blobs, long scrubBytesPerSecond, long restBetweenPassesMillis) {
    this.blobs = blobs;
    this.scrub = new Scrub(blobs, scrubBytesPerSecond);
    this.restBetweenPassesMillis = restBetweenPassesMillis;
  }

  @Override
  public Future<?> start() {
    blobs.onLost(sha -> vertx.eventBus().publish(StorageAddresses.BLOB_LOST, new JsonObject().put(StorageAddresses.BLOB, sha), LOCAL));
    deletions = vertx.eventBus().localConsumer(StorageAddresses.DELETE_BLOBS, message -> {
      List<String> hashes = message.body().getJsonArray(StorageAddresses.BLOBS, new JsonArray()).stream().map(String::valueOf).toList();
      vertx.executeBlocking(() -> {
        for (String sha : hashes) {
          blobs.delete(sha);
        }
        return null;
      }).onFailure(e -> log.warn("could not delete blobs {}: {}", hashes, e.getMessage()));
    });
    bus = new BusService(vertx).on(StorageAddresses.STATUS, request -> status());
    if (scrub.enabled()) {
      scrubThread = vertx.createSharedWorkerExecutor("dspot-storage-scrub", 1);
      scrubNextPass();
    }
    return Future.join(deletions.completion(), bus.ready());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    scrub.stop();
    vertx.cancelTimer(restTimer);
    blobs.onLost(sha -> { });
    return Future.join(deletions.unregister(), bus.close(), scrubThread == null ? Future.succeededFuture() : scrubThread.close());
  }

  private Future<JsonObject> status() {
    return vertx.executeBlocking(() -> new StorageStatus(blobs.diskUsage(), blobs.blobCount(), blobs.storedBytes(), scrub.status()).toJson());
  }

  private void scrubNextPass() {
    scrubThread.executeBlocking(() -> {
      scrub.runPass();
      return null;
    }).onComplete(pass -> {
      if (pass.failed()) {
        log.warn("scrub pass failed, next one in {} ms: {}", restBetweenPassesMillis, pass.cause().toString());
      }
      if (!stopping) {
        restTimer = vertx.setTimer(restBetweenPassesMillis, t -> scrubNextPass());
      }
    });
  }
}
