package io.dspot.ingest;

import io.dspot.bus.ServiceException;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
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
 * drained (so the client can read our 413) and its temp file is removed.
 */
public final class UploadReceiver {

  private static final DeliveryOptions INGEST = new DeliveryOptions().setSendTimeout(120_000);

  /** One received part; {@code tempFile} is null when the part was refused while streaming. */
  public record Received(String name, Path tempFile, String sha256, long size, boolean tooLarge) {}

  private final BlobStore blobs;
  private final long maxFileBytes;

  public UploadReceiver(BlobStore blobs, long maxFileBytes) {
    this.blobs = blobs;
    this.maxFileBytes = maxFileBytes;
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
   * (413, 400) for a part refused on arrival, or with the ingest module's refusal.
   */
  public Future<JsonObject> ingest(Vertx vertx, Received part) {
    if (part.tooLarge()) {
      return Future.failedFuture(new ServiceException(413, part.name() + ": larger than the upload limit of " + maxFileBytes + " bytes"));
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
        upload.handler(b -> { }).endHandler(v -> result.fail(opened.cause()));
        upload.resume();
        return;
      }
      AsyncFile file = opened.result();
      boolean[] tooLarge = {false};
      upload.handler(chunk -> {
        if (tooLarge[0]) {
          return; // draining
        }
        if (intake.size() + chunk.length() > maxFileBytes) {
          tooLarge[0] = true;
          return;
        }
        add(intake, chunk);
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
              .onComplete(d -> result.tryComplete(new Received(name, null, null, intake.size(), true)));
        } else {
          result.tryComplete(new Received(name, temp, intake.sha256(), intake.size(), false));
        }
      }));
      upload.resume();
    });
    return result.future();
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
