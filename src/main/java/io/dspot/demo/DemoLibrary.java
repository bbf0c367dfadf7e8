package io.dspot.demo;

import io.dspot.ingest.IngestAddresses;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few short generated tracks (tagged, with cover art) so a fresh node has something to play.
 * Installed once, marked {@code demo: true}; {@code demo.enabled=false} turns it off.
 */
public final class DemoLibrary {

  private static final Logger log = LoggerFactory.getLogger(DemoLibrary.class);
  private static final String MARKER = "demo-library-installed";

  private DemoLibrary() {}

  public static Future<Void> installOnce(Vertx vertx, Path dataDir, BlobStore blobs) {
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
    Path temp = blobs.newTempFile(".demo");
    return vertx.executeBlocking(() -> copy("/demo/" + track, temp))
        .compose(sha -> vertx.eventBus().request(IngestAddresses.FILE_ADD, new JsonObject()
            .put("tempFile", temp.toString()).put("name", track).put("sha256", sha[0]).put("size", Long.parseLong(sha[1]))
            .put("demo", true)))
        .mapEmpty();
  }

  private static List<String> tracks() throws IOException {
    try (InputStream in = DemoLibrary.class.getResourceAsStream("/demo/index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  private static String[] copy(String resource, Path target) {
    MessageDigest digest = BlobStore.sha256();
    try (InputStream in = new DigestInputStream(DemoLibrary.class.getResourceAsStream(resource), digest)) {
      long size = Files.copy(in, target);
      return new String[] {BlobStore.hex(digest.digest()), Long.toString(size)};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
