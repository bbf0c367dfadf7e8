package io.dspot.storage;

import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the node's blob files: removes the bytes (song and orphaned cover) of songs the catalog deleted. */
public final class StorageVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StorageVerticle.class);

  private final BlobStore blobs;
  private MessageConsumer<JsonObject> deletions;

  public StorageVerticle(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  public Future<?> start() {
    deletions = vertx.eventBus().localConsumer(CatalogAddresses.SONG_DELETED, message -> {
      String sha = message.body().getString("sha256");
      String cover = message.body().getString("coverSha256");
      vertx.executeBlocking(() -> {
        blobs.delete(sha);
        if (cover != null) {
          blobs.delete(cover);
        }
        return null;
      }).onFailure(e -> log.warn("could not delete blob {}: {}", sha, e.getMessage()));
    });
    return deletions.completion();
  }

  @Override
  public Future<?> stop() {
    return deletions.unregister();
  }
}
