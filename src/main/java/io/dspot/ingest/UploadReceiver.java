package io.dspot.ingest;

import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams each file of a multipart upload to its own temp file in the blob store, hashing on the
 * way, so a song is never held in memory. A file over the size limit stops being written, the
 * rest of it is drained (so the client can read our 413) and its temp file is removed.
 */
public final class UploadReceiver {

  /** One received part; {@code tempFile} is null when the part was refused while streaming. */
  public record Received(String name, Path tempFile, String sha256, long size, boolean tooLarge) {}

  private UploadReceiver() {}

  /** The request must not have been read yet (no BodyHandler) and may be paused; it is resumed here. */
  public static Future<List<Received>> receive(Vertx vertx, HttpServerRequest request, BlobStore blobs, long maxFileBytes) {
    List<Future<Received>> parts = new ArrayList<>();
    Promise<List<Received>> done = Promise.promise();
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> parts.add(receiveOne(vertx, upload, blobs, maxFileBytes)));
    request.exceptionHandler(e -> {
      Future.join(parts).onComplete(ignored -> parts.stream().filter(Future::succeeded).forEach(p -> discard(vertx, p.result())));
      done.tryFail(e);
    });
    request.endHandler(v -> Future.all(parts)
        .onSuccess(all -> done.tryComplete(parts.stream().map(Future::result).toList()))
        .onFailure(e -> {
          parts.stream().filter(Future::succeeded).forEach(p -> discard(vertx, p.result()));
          done.tryFail(e);
        }));
    request.resume();
    return done.future();
  }

  private static Future<Received> receiveOne(Vertx vertx, HttpServerFileUpload upload, BlobStore blobs, long maxFileBytes) {
    upload.pause();
    String name = upload.filename() == null || upload.filename().isBlank() ? upload.name() : upload.filename();
    Path temp = blobs.newTempFile(".upload");
    MessageDigest digest = BlobStore.sha256();
    Promise<Received> result = Promise.promise();
    vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(opened -> {
      if (opened.failed()) {
        upload.handler(b -> { }).endHandler(v -> result.fail(opened.cause()));
        upload.resume();
        return;
      }
      AsyncFile file = opened.result();
      long[] size = {0};
      boolean[] tooLarge = {false};
      upload.handler(chunk -> {
        size[0] += chunk.length();
        if (tooLarge[0]) {
          return; // draining
        }
        if (size[0] > maxFileBytes) {
          tooLarge[0] = true;
          return;
        }
        digest.update(chunk.getBytes());
        file.write(chunk);
        if (file.writeQueueFull()) {
          upload.pause();
          file.drainHandler(v -> upload.resume());
        }
      });
      upload.exceptionHandler(e -> file.close().onComplete(c -> {
        vertx.fileSystem().delete(temp.toString());
        result.tryFail(e);
      }));
      upload.endHandler(v -> file.close().onComplete(closed -> {
        // The temp file is gone before anyone hears of a refusal.
        if (closed.failed()) {
          vertx.fileSystem().delete(temp.toString()).onComplete(d -> result.tryFail(closed.cause()));
        } else if (tooLarge[0]) {
          vertx.fileSystem().delete(temp.toString())
              .onComplete(d -> result.tryComplete(new Received(name, null, null, size[0], true)));
        } else {
          result.tryComplete(new Received(name, temp, BlobStore.hex(digest.digest()), size[0], false));
        }
      }));
      upload.resume();
    });
    return result.future();
  }

  /** Removes the temp file of a part that will not be ingested. */
  public static Future<Void> discard(Vertx vertx, Received r) {
    if (r.tempFile() == null) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().delete(r.tempFile().toString()).recover(e -> Future.succeededFuture());
  }
}
