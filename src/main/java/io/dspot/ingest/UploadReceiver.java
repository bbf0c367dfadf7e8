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
 * is never held in memory. A file over the size limit is refused at once: its temp file is
 * removed and the rest of the body is not read (the web module answers 413 and closes). A body
 * that ends inside a file (no closing boundary) is a 400, its temp files removed. A write the
 * disk does not take (full, I/O error) is refused with 507 or 500 after the body is drained:
 * its bytes are never hashed into a song.
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

  /**
   * The request must not have been read yet (no BodyHandler) and may be paused; it is resumed
   * here. Fails with {@link RefusedPart} the moment a part goes over the size limit (the rest of
   * the body is not read: the caller answers and closes), and with 400 when the body ends inside
   * a part (no closing boundary). Either way no temp file is left.
   */
  public Future<List<Received>> receive(Vertx vertx, HttpServerRequest request) {
    List<Part> parts = new ArrayList<>();
    Promise<List<Received>> done = Promise.promise();
    boolean[] failing = {false};
    // Answered only once every temp file of the upload is gone.
    Handler<Throwable> fail = e -> {
      if (failing[0] || done.future().isComplete()) {
        return;
      }
      failing[0] = true;
      if (!request.isEnded()) {
        request.uploadHandler(upload -> upload.handler(chunk -> { })); // later parts of a refused body are not written
      }
      parts.forEach(p -> p.abort(e));
      List<Future<Received>> results = parts.stream().map(Part::result).toList();
      Future.join(results)
          .transform(ignored -> Future.join(results.stream().filter(Future::succeeded).map(r -> discard(vertx, r.result())).toList()))
          .onComplete(ignored -> done.tryFail(e));
    };
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> {
      Part part = receiveOne(vertx, upload);
      parts.add(part);
      part.result().onSuccess(r -> {
        if (r.refused() != null && r.refused().status == 413) {
          fail.handle(new RefusedPart(r));
        }
      });
    });
    request.exceptionHandler(fail);
    BodyEnd end = new BodyEnd(request.getHeader("Content-Type"));
    request.handler(end::add);
    request.endHandler(v -> {
      if (!end.closed()) {
        // A part's own end may still be queued behind a pause, so the body's last bytes decide.
        fail.handle(ServiceException.badRequest("the upload ended without its closing multipart boundary"));
        return;
      }
      Future.all(parts.stream().map(Part::result).toList())
          .onSuccess(all -> done.tryComplete(parts.stream().map(p -> p.result().result()).toList()))
          .onFailure(fail);
    });
    request.resume();
    return done.future();
  }

  /** The last bytes of a multipart body: complete only when they are the closing delimiter {@code --boundary--}. */
  private static final class BodyEnd {
    private final byte[] delimiter;
    private byte[] tail = new byte[0];

    BodyEnd(String contentType) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i);\\s*boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
      delimiter = ("--" + (m.find() ? m.group(1).trim() : "") + "--").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    void add(Buffer chunk) {
      int keep = delimiter.length + 64;
      byte[] joined = new byte[Math.min(keep, tail.length + chunk.length())];
      int fromChunk = Math.min(chunk.length(), joined.length);
      int fromTail = joined.length - fromChunk;
      System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
      chunk.getBytes(chunk.length() - fromChunk, chunk.length(), joined, fromTail);
      tail = joined;
    }

    /** Only whitespace may follow the delimiter (a client's final CRLF). */
    boolean closed() {
      int end = tail.length;
      while (end > 0 && Character.isWhitespace(tail[end - 1])) {
        end--;
      }
      return end >= delimiter.length && java.util.Arrays.equals(tail, end - delimiter.length, end, delimiter, 0, delimiter.length);
    }
  }

  /** The upload was refused while its body was still coming: the part over the limit says why. */
  public static final class RefusedPart extends RuntimeException {
    public final transient Received part;

    RefusedPart(Received part) {
      super(part.refused().getMessage(), null, false, false);
      this.part = part;
    }
  }

  /** One part being received: {@code abort} stops writing it and removes its temp file. */
  private static final class Part {
    private final String name;
    private final Promise<Received> result = Promise.promise();
    /** Why the part was aborted before its temp file was open; the open's callback finishes the abort. */
    private Throwable abortedEarly;
    private Handler<Throwable> abort = why -> {
      if (abortedEarly == null) {
        abortedEarly = why;
      }
    };

    Part(String name) {
      this.name = name;
    }

    String name() {
      return name;
    }

    Future<Received> result() {
      return result.future();
    }

    void abort(Throwable why) {
      abort.handle(why);
    }
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
    FileToAdd file = new FileToAdd(part.tempFile(), part.name(), part.sha256(), part.size(), false, false);
    return vertx.eventBus().<JsonObject>request(IngestAddresses.FILE_ADD, file.toJson(), INGEST).map(Message::body);
  }

  private Part receiveOne(Vertx vertx, HttpServerFileUpload upload) {
    upload.pause();
    String name = upload.filename() == null || upload.filename().isBlank() ? upload.name() : upload.filename();
    Part part = new Part(name);
    BlobStore.Intake intake = blobs.newIntake(".upload");
    Path temp = intake.tempFile();
    Promise<Received> result = part.result;
    vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(opened -> {
      if (opened.failed()) {
        if (part.abortedEarly != null) {
          result.tryFail(part.abortedEarly);
          return;
        }
        upload.handler(b -> { }).endHandler(v -> refuse(vertx, name, intake, opened.cause(), result));
        upload.resume();
        return;
      }
      AsyncFile file = opened.result();
      if (part.abortedEarly != null) {
        // Aborted while the file was being opened: the refusal is heard only once the file is gone.
        file.close().onComplete(c -> vertx.fileSystem().delete(temp.toString()).onComplete(d -> result.tryFail(part.abortedEarly)));
        return;
      }
      Throwable[] writeFailed = {null};
      Handler<Throwable> failed = e -> {
        if (writeFailed[0] == null) {
          writeFailed[0] = e;
          upload.resume(); // drain the rest: the client reads our answer, not a reset
        }
      };
      Handler<Throwable> abandon = e -> file.close().onComplete(c -> vertx.fileSystem().delete(temp.toString()).onComplete(d -> result.tryFail(e)));
      part.abort = e -> {
        if (!result.future().isComplete()) {
          upload.handler(chunk -> { });
          abandon.handle(e);
        }
      };
      file.exceptionHandler(failed);
      upload.handler(chunk -> {
        if (writeFailed[0] != null || result.future().isComplete()) {
          return; // draining a write failure, or refused
        }
        if (intake.size() + chunk.length() > maxFileBytes) {
          // Refused now: the file goes and the caller answers 413 without reading the rest.
          upload.handler(b -> { });
          file.close().onComplete(c -> vertx.fileSystem().delete(temp.toString()).onComplete(d -> result.tryComplete(
              new Received(name, null, null, intake.size() + chunk.length(),
                  new ServiceException(413, name + ": larger than the upload limit of " + maxFileBytes + " bytes")))));
          return;
        }
        add(intake, chunk);
        file.write(chunk).onFailure(failed);
        if (file.writeQueueFull()) {
          upload.pause();
          file.drainHandler(v -> upload.resume());
        }
      });
      upload.exceptionHandler(abandon);
      // close() waits for the writes still queued; then what reached the disk is measured.
      upload.endHandler(v -> {
        if (result.future().isComplete()) {
          return;
        }
        file.close().compose(closed -> vertx.fileSystem().props(temp.toString())).onComplete(written -> {
          // The temp file is gone before anyone hears of a refusal.
          Throwable failure = writeFailed[0] != null ? writeFailed[0] : written.failed() ? written.cause()
              : written.result().size() != intake.size()
                  ? new IOException("the file was cut short: " + written.result().size() + " of " + intake.size() + " bytes reached the disk")
                  : null;
          if (failure != null) {
            refuse(vertx, name, intake, failure, result);
          } else {
            result.tryComplete(new Received(name, temp, intake.sha256(), intake.size(), null));
          }
        });
      });
      upload.resume();
    });
    return part;
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
