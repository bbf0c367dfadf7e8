package io.dspot.ingest;

import io.dspot.bus.ServiceException;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest module's one entry for the web module, called in-process: an upload's body is a
 * stream of HTTP chunks that cannot travel over the event bus, so it is written to the blob
 * store's temp area right here; what follows (probing, tags, the catalog) goes over the bus.
 *
 * <p>Streams each file of a multipart upload to its own temp file, hashing on the way, so a song
 * is never held in memory. A file over the size limit stops being written, the rest of it is
 * drained (so the client can read our 413) and its temp file is removed. A write the disk does
 * not take (full, I/O error) is refused the same way, with 507 or 500: its bytes are never
 * hashed into a song.
 */
public final class UploadReceiver {

  private static final DeliveryOptions INGEST = new DeliveryOptions().setSendTimeout(120_000);

  /** One received part; {@code tempFile} is null and {@code refused} says why when the part was refused while streaming. */
  public record Received(String name, Path tempFile, String sha256, long size, ServiceException refused) {}

  private final BlobStore blobs;
  private final long maxFileBytes;

  public UploadReceiver(BlobStore blobs, long maxFileBytes) {
    this.blobs = blobs;
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Fails with 507 while the blob store's disk is below its reserve ({@code replication.minFreeBytes})
   * or when the request's declared length would take it there: asked before an upload's body is
   * read, so a node that is (nearly) full refuses it up front. A body of unknown length is
   * measured as it is written.
   */
  public Future<Void> requireRoom(Vertx vertx, HttpServerRequest request) {
    long declared = declaredLength(request);
    return vertx.executeBlocking(() -> {
      blobs.requireRoomFor("an upload", declared);
      return null;
    });
  }

  private static long declaredLength(HttpServerRequest request) {
    try {
      String length = request.getHeader("Content-Length");
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The request must not have been read yet (no BodyHandler) and may be paused; it is resumed here. */
  public Future<List<Received>> receive(Vertx vertx, HttpServerRequest request) {
    List<Future<Received>> parts = new ArrayList<>();
    Promise<List<Received>> done = Promise.promise();
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> parts.add(receiveOne(vertx, upload)));
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

  /**
   * Turns a received part into a song ({song, duplicate}); fails with a {@link ServiceException}
   * (413, 507, 500, 400) for a part refused on arrival, or with the ingest module's refusal.
   */
  public Future<JsonObject> ingest(Vertx vertx, Received part) {
    if (part.refused() != null) {
      return Future.failedFuture(part.refused());
    }
    if (part.size() == 0) {
      return discard(vertx, part).compose(v -> Future.failedFuture(ServiceException.badRequest(part.name() + ": the file is empty")));
    }
    FileToAdd file = new FileToAdd(part.tempFile(), part.name(), part.sha256(), part.size(), false);
    return vertx.eventBus().<JsonObject>request(IngestAddresses.FILE_ADD, file.toJson(), INGEST).map(Message::body);
  }

  private Future<Received> receiveOne(Vertx vertx, HttpServerFileUpload upload) {
    upload.pause();
    String name = upload.filename() == null || upload.filename().isBlank() ? upload.name() : upload.filename();
    BlobStore.Intake intake = blobs.newIntake(".upload");
    Path temp = intake.tempFile();
    Promise<Received> result = Promise.promise();
    vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(opened -> {
      if (opened.failed()) {
        upload.handler(b -> { }).endHandler(v -> refuse(vertx, name, intake, opened.cause(), result));
        upload.resume();
        return;
      }
      AsyncFile file = opened.result();
      boolean[] tooLarge = {false};
      Throwable[] writeFailed = {null};
      Handler<Throwable> failed = e -> {
        if (writeFailed[0] == null) {
          writeFailed[0] = e;
          upload.resume(); // drain the rest: the client reads our answer, not a reset
        }
      };
      file.exceptionHandler(failed);
      upload.handler(chunk -> {
        if (tooLarge[0] || writeFailed[0] != null) {
          return; // draining
        }
        if (intake.size() + chunk.length() > maxFileBytes) {
          tooLarge[0] = true;
          return;
        }
        add(intake, chunk);
        file.write(chunk).onFailure(failed);
        if (file.writeQueueFull()) {
          upload.pause();
          file.drainHandler(v -> upload.resume());
        }
      });
      upload.exceptionHandler(e -> file.close().onComplete(c -> {
        vertx.fileSystem().delete(temp.toString());
        result.tryFail(e);
      }));
      // close() waits for the writes still queued; then what reached the disk is measured.
      upload.endHandler(v -> file.close().compose(closed -> vertx.fileSystem().props(temp.toString())).onComplete(written -> {
        // The temp file is gone before anyone hears of a refusal.
        Throwable failure = writeFailed[0] != null ? writeFailed[0] : written.failed() ? written.cause()
            : written.result().size() != intake.size() && !tooLarge[0]
                ? new IOException("the file was cut short: " + written.result().size() + " of " + intake.size() + " bytes reached the disk")
                : null;
        if (failure != null) {
          refuse(vertx, name, intake, failure, result);
        } else if (tooLarge[0]) {
          vertx.fileSystem().delete(temp.toString()).onComplete(d -> result.tryComplete(new Received(name, null, null, intake.size(),
              new ServiceException(413, name + ": larger than the upload limit of " + maxFileBytes + " bytes"))));
        } else {
          result.tryComplete(new Received(name, temp, intake.sha256(), intake.size(), null));
        }
      }));
      upload.resume();
    });
    return result.future();
  }

  /** A part the disk did not take: its temp file goes, and it is refused with 507 (disk full) or 500. */
  private void refuse(Vertx vertx, String name, BlobStore.Intake intake, Throwable cause, Promise<Received> result) {
    vertx.fileSystem().delete(intake.tempFile().toString()).transform(deleted -> vertx.executeBlocking(() -> blobs.writeFailure(name, cause)))
        .onComplete(refusal -> result.tryComplete(new Received(name, null, null, intake.size(),
            refusal.succeeded() ? refusal.result() : new ServiceException(500, "could not write " + name + " to this node's disk"))));
  }

  private static void add(BlobStore.Intake intake, Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    intake.add(bytes, 0, bytes.length);
  }

  /** Removes the temp file of a part that will not be ingested. */
  private static Future<Void> discard(Vertx vertx, Received r) {
    if (r.tempFile() == null) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().delete(r.tempFile().toString()).recover(e -> Future.succeededFuture());
  }
}
