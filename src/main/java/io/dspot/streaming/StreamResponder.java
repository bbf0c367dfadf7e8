package io.dspot.streaming;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GET and HEAD of one stored file: decides with {@link StreamPlan}, then writes.
 * Single ranges and whole files go out with zero-copy {@code sendFile}; multipart bodies are
 * read part by part because {@code sendFile} ends the response and can be called only once.
 */
final class StreamResponder {

  private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

  // Content is addressed by its hash, so a cached copy stays right; "private" because it needs a session.
  static final String CACHE_CONTROL = "private, max-age=3600";
  // Vert.x's HttpHeaders has no constants for these two.
  private static final CharSequence RANGE = HttpHeaders.createOptimized("Range");
  private static final CharSequence IF_RANGE = HttpHeaders.createOptimized("If-Range");
  private static final int READ_CHUNK_BYTES = 64 * 1024;
  private static final String SONG_DATA_MISSING = "song data missing";

  private StreamResponder() {}

  /** Answers GET or HEAD for the file, honouring Range / If-Range / If-None-Match. Never throws. */
  public static Future<Void> respond(HttpServerRequest request, StreamableFile file) {
    try {
      if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
        request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
        return sendError(request, 405, "method not allowed");
      }
      StreamPlan plan = StreamPlan.decide(
          request.getHeader(HttpHeaders.IF_NONE_MATCH),
          request.getHeader(HttpHeaders.IF_MODIFIED_SINCE),
          request.getHeader(RANGE),
          request.getHeader(IF_RANGE),
          file);
      // No stat per request: blobs are content-addressed and never change; the resolver checked
      // the file once, and a file that vanished since makes sendFile fail before the status line.
      FileSystem fs = currentVertx().fileSystem();
      return answer(request, file, plan, fs).recover(failure -> abort(request, failure));
    } catch (RuntimeException bug) {
      return abort(request, bug);
    }
  }

  private static Future<Void> answer(HttpServerRequest request, StreamableFile file, StreamPlan plan, FileSystem fs) {
    HttpServerResponse response = request.response();
    putValidators(response, file);
    boolean head = request.method() == HttpMethod.HEAD;
    if (plan instanceof StreamPlan.NotModified) {
      return response.setStatusCode(304).end();
    }
    if (plan instanceof StreamPlan.RangeNotSatisfiable) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + file.size());
      return sendError(request, 416, "range not satisfiable");
    }
    if (plan instanceof StreamPlan.SingleRange single) {
      response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, single.range().contentRange(file.size()));
      return sendSlice(request, file, single.range().first(), single.range().length(), head);
    }
    if (plan instanceof StreamPlan.MultipleRanges multiple) {
      MultipartByteranges body = new MultipartByteranges(
          multiple.ranges(), file.size(), file.contentType(), MultipartByteranges.newBoundary());
      return sendMultipart(request, file, body, head, fs);
    }
    response.setStatusCode(200);
    return sendSlice(request, file, 0, file.size(), head);
  }

  private static void putValidators(HttpServerResponse response, StreamableFile file) {
    response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaders.ETAG, file.etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, HttpDates.format(file.lastModified()))
        .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
  }

  private static Future<Void> sendSlice(HttpServerRequest request, StreamableFile file, long offset, long length,
      boolean head) {
    HttpServerResponse response = request.response().putHeader(HttpHeaders.CONTENT_TYPE, file.contentType());
    if (head) {
      // Vert.x does not compute Content-Length for HEAD; set what GET would send.
      return response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
    }
    // sendFile sets Content-Length itself from the bytes it will really send.
    return response.sendFile(file.path().toString(), offset, length)
        .recover(failure -> afterSendFailure(request, failure));
  }

  private static Future<Void> sendMultipart(HttpServerRequest request, StreamableFile file, MultipartByteranges body,
      boolean head, FileSystem fs) {
    HttpServerResponse response = request.response()
        .setStatusCode(206)
        .putHeader(HttpHeaders.CONTENT_TYPE, body.contentType())
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(body.contentLength()));
    if (head) {
      return response.end();
    }
    return fs.open(file.path().toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .transform(opened -> {
          if (opened.failed()) {
            return afterSendFailure(request, opened.cause());
          }
          AsyncFile source = opened.result();
          return writeParts(response, source, body)
              .compose(v -> response.end(Buffer.buffer(body.closingDelimiter())))
              .recover(failure -> afterSendFailure(request, failure))
              .eventually(source::close);
        });
  }

  private static Future<Void> writeParts(HttpServerResponse response, AsyncFile file, MultipartByteranges body) {
    Future<Void> written = Future.succeededFuture();
    for (int i = 0; i < body.ranges().size(); i++) {
      int index = i;
      ByteRange range = body.ranges().get(index);
      written = written
          .compose(v -> response.write(Buffer.buffer(body.partHeader(index))))
          .compose(v -> copy(response, file, range.first(), range.length()));
    }
    return written;
  }

  /** Reads and writes one chunk at a time; waiting for each write keeps memory flat for slow clients. */
  private static Future<Void> copy(HttpServerResponse response, AsyncFile file, long position, long remaining) {
    if (remaining == 0) {
      return Future.succeededFuture();
    }
    int chunk = (int) Math.min(READ_CHUNK_BYTES, remaining);
    return file.read(Buffer.buffer(chunk), 0, position, chunk).compose(read -> {
      if (read.length() == 0) {
        return Future.failedFuture(new IllegalStateException("file shorter than expected"));
      }
      return response.write(read).compose(v -> copy(response, file, position + read.length(), remaining - read.length()));
    });
  }

  /**
   * Before the status line went out the client can still get a clean 404; after it, the only
   * honest signal left is to cut the connection, so the client sees a truncated body, not a hang.
   */
  private static Future<Void> afterSendFailure(HttpServerRequest request, Throwable failure) {
    HttpServerResponse response = request.response();
    if (!response.headWritten() && !response.ended()) {
      LOG.warn("Song data vanished before sending {}", request.path(), failure);
      response.headers().clear();
      return sendError(request, 404, SONG_DATA_MISSING);
    }
    LOG.debug("Stream of {} interrupted", request.path(), failure);
    cutConnection(request);
    return Future.failedFuture(failure);
  }

  /** Last resort for a bug: never leave the client waiting. */
  private static Future<Void> abort(HttpServerRequest request, Throwable failure) {
    HttpServerResponse response = request.response();
    if (!response.headWritten() && !response.ended()) {
      LOG.error("Failed to stream {}", request.path(), failure);
      response.headers().clear();
      return sendError(request, 500, "internal error").transform(ar -> Future.failedFuture(failure));
    }
    cutConnection(request);
    return Future.failedFuture(failure);
  }

  private static void cutConnection(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset();
    } else {
      request.connection().close();
    }
  }

  private static Future<Void> sendError(HttpServerRequest request, int status, String message) {
    Buffer json = new JsonObject().put("error", message).toBuffer();
    HttpServerResponse response = request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(json.length()));
    return request.method() == HttpMethod.HEAD ? response.end() : response.end(json);
  }

  private static Vertx currentVertx() {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("StreamResponder.respond must run on a Vert.x context");
    }
    return context.owner();
  }
}
