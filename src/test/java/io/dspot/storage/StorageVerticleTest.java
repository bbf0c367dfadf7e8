package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Storage deletes what it is told to on its own address, knowing nothing of songs or covers. */
@ExtendWith(VertxExtension.class)
class StorageVerticleTest {

  @TempDir Path root;

  @Test
  void deletesExactlyTheBlobsNamedOnItsAddress(Vertx vertx, VertxTestContext test) {
    BlobStore blobs = new BlobStore(root).open();
    String kept = blobs.put("still played".getBytes(StandardCharsets.UTF_8));
    String song = blobs.put("deleted song".getBytes(StandardCharsets.UTF_8));
    String cover = blobs.put("freed cover".getBytes(StandardCharsets.UTF_8));
    vertx.deployVerticle(new StorageVerticle(blobs, 0, 1_000)).onComplete(test.succeeding(deployed -> {
      vertx.eventBus().send(StorageAddresses.DELETE_BLOBS,
          new JsonObject().put(StorageAddresses.BLOBS, new JsonArray().add(song).add(cover)));
      vertx.setPeriodic(20, timer -> {
        if (!blobs.contains(song) && !blobs.contains(cover)) {
          vertx.cancelTimer(timer);
          test.verify(() -> assertThat(blobs.contains(kept)).as("a blob nobody named").isTrue());
          test.completeNow();
        }
      });
    }));
  }
}
