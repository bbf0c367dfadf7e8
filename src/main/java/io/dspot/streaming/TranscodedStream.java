package io.dspot.streaming;

import io.dspot.streaming.MediaStreams.Transcode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ffmpeg child process piped to one response. Reads of its stdout block, so each runs on a
 * worker; the next read waits while the response's write queue is full (back-pressure: a client
 * that stops reading stops ffmpeg at its pipe). The process is killed when the response ends, the
 * connection closes, or the body reached its announced length. The whole stream is answered with
 * 200: a transcoded stream has no byte ranges (its length is not known before it is made).
 */
final class TranscodedStream {

  private static final Logger log = LoggerFactory.getLogger(TranscodedStream.class);
  private static final int CHUNK = 64 * 1024;

  private final Vertx vertx;
  private final RoutingContext ctx;
  private final Transcoder transcoder;
  private final Transcode transcode;
  /** Bytes the response announced (estimateContentLength), or -1 for a chunked body. */
  private final long length;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Promise<Void> done = Promise.promise();
  private Process process;
  private long sent;

  private TranscodedStream(Vertx vertx, RoutingContext ctx, Transcoder transcoder, Transcode transcode, double durationSeconds) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.transcoder = transcoder;
    this.transcode = transcode;
    double seconds = Math.max(1, durationSeconds - transcode.offsetSeconds());
    this.length = transcode.estimateLength() ? Math.round(seconds * transcode.kbps() * 1000 / 8) : -1;
  }

  /** Holds a slot of {@code transcoder} already; gives it back once the process is gone. */
  static Future<Void> send(Vertx vertx, RoutingContext ctx, Transcoder transcoder, Path input, Transcode transcode, double durationSeconds) {
    return new TranscodedStream(vertx, ctx, transcoder, transcode, durationSeconds).start(input);
  }

  private Future<Void> start(Path input) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, transcode.contentType()).putHeader(HttpHeaders.ACCEPT_RANGES, "none")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (length >= 0) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    } else {
      response.setChunked(true);
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      transcoder.release();
      response.end();
      return Future.succeededFuture();
    }
    ctx.addEndHandler(ended -> stop());
    vertx.executeBlocking(() -> {
      ProcessBuilder builder = new ProcessBuilder(transcoder.command(input, transcode))
          .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return builder.start();
    }, false).onSuccess(started -> {
      process = started;
      if (stopped.get()) {
        // The client left while ffmpeg was starting.
        kill(started);
        return;
      }
      pump(started.getInputStream());
    }).onFailure(e -> {
      log.error("ffmpeg did not start", e);
      transcoder.release();
      stopped.set(true);
      done.tryFail(e);
    });
    return done.future();
  }

  private void pump(InputStream out) {
    HttpServerResponse response = ctx.response();
    vertx.executeBlocking(() -> read(out), false).onComplete(read -> {
      if (stopped.get() || response.closed()) {
        stop();
        return;
      }
      if (read.failed() || read.result() == null) {
        finish(response);
        return;
      }
      Buffer chunk = read.result();
      if (length >= 0 && sent + chunk.length() >= length) {
        response.end(chunk.slice(0, (int) (length - sent)));
        return;
      }
      sent += chunk.length();
      response.write(chunk);
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump(out));
      } else {
        pump(out);
      }
    });
  }

  /** A chunk of ffmpeg's output, or null at its end. */
  private static Buffer read(InputStream out) throws IOException {
    byte[] bytes = new byte[CHUNK];
    int n = out.readNBytes(bytes, 0, CHUNK);
    return n <= 0 ? null : Buffer.buffer(n == CHUNK ? bytes : Arrays.copyOf(bytes, n));
  }

  /** ffmpeg's output ended: the body is complete, padded with silence-like zeros to an announced length. */
  private void finish(HttpServerResponse response) {
    if (sent == 0 && length < 0) {
      log.warn("ffmpeg gave no audio for a {} stream at {} kbps (from {} s)", transcode.format(), transcode.kbps(), transcode.offsetSeconds());
    }
    if (length > sent) {
      response.end(Buffer.buffer(new byte[(int) Math.min(Integer.MAX_VALUE, length - sent)]));
    } else {
      response.end();
    }
  }

  private void stop() {
    if (stopped.compareAndSet(false, true)) {
      if (process != null) {
        kill(process);
      }
      done.tryComplete();
    }
  }

  /** Kills ffmpeg (a no-op once it exited) and frees its slot when it is gone. */
  private void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.onExit().whenComplete((exited, e) -> transcoder.release());
  }
}
