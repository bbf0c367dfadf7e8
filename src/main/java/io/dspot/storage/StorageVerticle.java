package io.dspot.storage;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the node's blob files: removes the bytes others tell it are no longer needed here. */
public final class StorageVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StorageVerticle.class);

  private final BlobStore blobs;
  private MessageConsumer<JsonObject> deletions;

  public StorageVerticle(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  public Future<?> start() {
    deletions = vertx.eventBus().localConsumer(StorageAddresses.DELETE_BLOBS, message -> {
      List<String> hashes = message.body().getJsonArray(StorageAddresses.BLOBS, new JsonArray()).stream().map(String::valueOf).toList();
      vertx.executeBlocking(() -> {
        for (String sha : hashes) {
          blobs.delete(sha);
        }
        return null;
      }).onFailure(e -> log.warn("could not delete blobs {}: {}", hashes, e.getMessage()));
    });
    return deletions.completion();
  }

  @Override
  public Future<?> stop() {
    return deletions.unregister();
  }
}
