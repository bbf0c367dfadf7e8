package io.dspot.streaming;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GET and HEAD of one stored file: decides with {@link StreamPlan} from the file's
 * metadata, then writes the bytes its {@link SongBytes} gives (this node's disk with zero-copy
 * {@code sendFile}, or a holder over the internal network): the status line and headers are the
 * same wherever the bytes come from.
 */
final class StreamResponder {

  private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

  // Content is addressed by its hash, so a cached copy stays right; "private" because it needs a session.
  static final String CACHE_CONTROL = "private, max-age=3600";
  // Header values sent on every answer, made once as ASCII strings (see RequestGuard's headers).
  private static final CharSequence CACHE_CONTROL_VALUE = HttpHeaders.createOptimized(CACHE_CONTROL);
  private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
  // Vert.x's HttpHeaders has no constants for these two.
  private static final CharSequence RANGE = HttpHeaders.createOptimized("Range");
  private static final CharSequence IF_RANGE = HttpHeaders.createOptimized("If-Range");
  // A peer's circuit breaker tries again after 5 s: asking sooner would find it still open.
  private static final int RETRY_AFTER_SECONDS = 5;
  private static final String SONG_DATA_MISSING = "song data missing";

  private StreamResponder() {}

  /** Answers GET or HEAD for the file, honouring Range / If-Range / If-None-Match. Never throws. */
  public static Future<Void> respond(HttpServerRequest request, StreamableFile file) {
    return respond(request, file, false);
  }

  /** As {@link #respond(HttpServerRequest, StreamableFile)}; {@code postAsGet}: a POST (a form carrying the parameters) is answered as a GET. */
  static Future<Void> respond(HttpServerRequest request, StreamableFile file, boolean postAsGet) {
    try {
      boolean post = postAsGet && request.method() == HttpMethod.POST;
      if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD && !post) {
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
      return answer(request, file, plan).recover(failure -> abort(request, failure));
    } catch (RuntimeException bug) {
      return abort(request, bug);
    }
  }

  private static Future<Void> answer(HttpServerRequest request, StreamableFile file, StreamPlan plan) {
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
      return sendMultipart(request, file, body, head);
    }
    response.setStatusCode(200);
    return sendSlice(request, file, 0, file.size(), head);
  }

  private static void putValidators(HttpServerResponse response, StreamableFile file) {
    response.putHeader(HttpHeaders.ACCEPT_RANGES, BYTES)
        .putHeader(HttpHeaders.ETAG, file.headers().etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, file.headers().lastModified())
        .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL_VALUE);
  }

  private static Future<Void> sendSlice(HttpServerRequest request, StreamableFile file, long offset, long length,
      boolean head) {
    HttpServerResponse response = request.response().putHeader(HttpHeaders.CONTENT_TYPE, file.headers().contentType());
    if (head) {
      // Vert.x does not compute Content-Length for HEAD; set what GET would send.
      return response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
    }
    Future<Void> sent = request.isSSL() ? file.bytes().sendEncrypted(response, offset, length) : file.bytes().send(response, offset, length);
    return sent.recover(failure -> afterSendFailure(request, failure));
  }

  private static Future<Void> sendMultipart(HttpServerRequest request, StreamableFile file, MultipartByteranges body,
      boolean head) {
    HttpServerResponse response = request.response()
        .setStatusCode(206)
        .putHeader(HttpHeaders.CONTENT_TYPE, body.contentType())
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(body.contentLength()));
    if (head) {
      return response.end();
    }
    return file.bytes().copying(spans -> writeParts(response, spans, body))
        .compose(v -> response.end(Buffer.buffer(body.closingDelimiter())))
        .recover(failure -> afterSendFailure(request, failure));
  }

  /** Each part's header goes out with its first bytes, so a source that has none leaves room for an error answer. */
  private static Future<Void> writeParts(HttpServerResponse response, SongBytes.SpanCopier spans, MultipartByteranges body) {
    Future<Void> written = Future.succeededFuture();
    for (int i = 0; i < body.ranges().size(); i++) {
      int index = i;
      ByteRange range = body.ranges().get(index);
      written = written.compose(v -> spans.copy(response, Buffer.buffer(body.partHeader(index)), range.first(), range.length()));
    }
    return written;
  }

  /**
   * Before the status line went out the client can still get a clean 404 (503 when no holder of a
   * song this node lacks could be reached); after it, the only honest signal left is to cut the
   * connection, so the client sees a truncated body, not a hang.
   */
  private static Future<Void> afterSendFailure(HttpServerRequest request, Throwable failure) {
    return afterSendFailure(request, failure, SONG_DATA_MISSING);
  }

  /** As for a song's bytes, for any stored file; {@code missing} is the 404's message. */
  static Future<Void> afterSendFailure(HttpServerRequest request, Throwable failure, String missing) {
    HttpServerResponse response = request.response();
    if (!response.headWritten() && !response.ended()) {
      response.headers().clear();
      if (failure instanceof SongUnavailable unavailable) {
        return unavailable(request, unavailable);
      }
      LOG.warn("Stored data vanished before sending {}", request.path(), failure);
      return sendError(request, 404, missing);
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

  /** 503 with Retry-After: a holder may come back, or its circuit breaker close again, within seconds. */
  static Future<Void> unavailable(HttpServerRequest request, SongUnavailable why) {
    request.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    return sendError(request, 503, why.getMessage());
  }

  private static Future<Void> sendError(HttpServerRequest request, int status, String message) {
    Buffer json = new JsonObject().put("error", message).toBuffer();
    HttpServerResponse response = request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(json.length()));
    return request.method() == HttpMethod.HEAD ? response.end() : response.end(json);
  }
}
