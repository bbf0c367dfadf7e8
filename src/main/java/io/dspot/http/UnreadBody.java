package io.dspot.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * A request answered before its body was read (an anonymous or oversized upload, a refused JSON
 * body) is not read to its end: a client must not make the node take in a gigabyte it refused.
 * The answer says {@code Connection: close}; then, as nginx's lingering close does, the node
 * reads and drops at most {@link #LINGER_BYTES} for at most {@link #LINGER_MILLIS} and closes
 * (HTTP/2: resets that stream). Many clients (the JDK's, Python's) read the answer only once they
 * have sent the whole body, and a close with unread bytes is a reset that loses the answer: with a
 * 1 MiB linger, 33 of 60 anonymous 6 MB uploads from the JDK client got no answer at all. So the
 * linger takes in a song-sized body whole; a bigger one is cut off, answered or not.
 */
final class UnreadBody {

  static final long LINGER_BYTES = 64L * 1024 * 1024;
  static final long LINGER_MILLIS = 5_000;
  /**
   * HTTP/2 NO_ERROR after a complete answer: RFC 9113 section 8.1's "stop sending, the answer stands".
   * (The JDK 17 client hangs on any reset while it is still sending, JDK-8293786, CANCEL included;
   * browsers read the answer.)
   */
  private static final long NO_ERROR = 0;

  private UnreadBody() {}

  /** True when the body is still coming: the answer then carries {@code Connection: close}. */
  static boolean refusedBeforeItsBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      return false;
    }
    if (request.version() != HttpVersion.HTTP_2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    return true;
  }

  static void closeAfterAnswer(RoutingContext ctx, boolean unread) {
    HttpServerRequest request = ctx.request();
    if (!unread) {
      return;
    }
    Runnable stop = request.version() == HttpVersion.HTTP_2
        ? () -> ctx.response().reset(NO_ERROR) // the stream only: the connection carries others
        : () -> request.connection().close();
    if (request.isEnded()) {
      stop.run();
      return;
    }
    long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> stop.run());
    long[] dropped = {0};
    request.exceptionHandler(e -> stop.run());
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (request.version() != HttpVersion.HTTP_2) {
        stop.run(); // we said Connection: close
      }
    });
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > LINGER_BYTES) {
        ctx.vertx().cancelTimer(timer);
        stop.run();
      }
    });
    request.resume();
  }
}
