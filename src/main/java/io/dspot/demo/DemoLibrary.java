package io.dspot.demo;

import io.dspot.ingest.FileToAdd;
import io.dspot.ingest.IngestAddresses;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few short generated tracks (tagged, with cover art) so a fresh node has something to play.
 * Installed once, marked {@code demo: true}; {@code demo.enabled=false} turns it off.
 *
 * <p>Installed after the node serves, in the background: adding a song is a cluster write, and
 * the members of a cluster that start together can commit only once they find each other, which
 * they do only after every one of them has published its endpoints (a demo installed during start
 * waited for peers that waited for it, and the node failed to start).
 */
public final class DemoLibrary {

  private static final Logger log = LoggerFactory.getLogger(DemoLibrary.class);
  private static final String MARKER = "demo-library-installed";

  private static final long FIRST_RETRY_MILLIS = 1_000;
  private static final long MAX_RETRY_MILLIS = 30_000;

  private DemoLibrary() {}

  /** Installs the library once, retrying with back-off until the cluster takes the writes. */
  public static void installInBackground(Vertx vertx, Path dataDir, BlobStore blobs) {
    attempt(vertx, dataDir, blobs, FIRST_RETRY_MILLIS);
  }

  private static void attempt(Vertx vertx, Path dataDir, BlobStore blobs, long retryMillis) {
    installOnce(vertx, dataDir, blobs).onFailure(e -> {
      log.info("demo library not installed yet ({}); retrying in {} s", e.getMessage(), retryMillis / 1000);
      vertx.setTimer(retryMillis, t -> attempt(vertx, dataDir, blobs, Math.min(retryMillis * 2, MAX_RETRY_MILLIS)));
    });
  }

  static Future<Void> installOnce(Vertx vertx, Path dataDir, BlobStore blobs) {
    Path marker = dataDir.resolve(MARKER);
    return vertx.executeBlocking(() -> Files.exists(marker) ? List.<String>of() : tracks()).compose(tracks -> {
      Future<Void> chain = Future.succeededFuture();
      for (String track : tracks) {
        chain = chain.compose(v -> install(vertx, blobs, track));
      }
      return chain.compose(v -> tracks.isEmpty() ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        Files.writeString(marker, "delete this file to reinstall the demo library\n");
        log.info("demo library installed: {} tracks (turn off with demo.enabled=false)", tracks.size());
        return null;
      }));
    });
  }

  private static Future<Void> install(Vertx vertx, BlobStore blobs, String track) {
    return vertx.executeBlocking(() -> blobs.copyIn(resource("/demo/" + track), ".demo"))
        .compose(copied -> vertx.eventBus().request(IngestAddresses.FILE_ADD,
            new FileToAdd(copied.tempFile(), track, copied.sha256(), copied.size(), true, true).toJson()))
        .mapEmpty();
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = DemoLibrary.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("demo track missing from the jar: " + name);
    }
    return in;
  }

  private static List<String> tracks() throws IOException {
    try (InputStream in = DemoLibrary.class.getResourceAsStream("/demo/index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }
}
