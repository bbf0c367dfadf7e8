package io.dspot.storage;

import io.dspot.bus.YieldingBandwidth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends a blob to a peer that copies it as a replica. While nobody listens on this node, with
 * zero-copy {@code sendFile}, at full speed. While listeners are served here, read and written in
 * chunks at the low rate of {@link YieldingBandwidth}, so a peer repairing from this node does not
 * take the CPU this node's listeners need: the peer's own pace only knows about the peer's listeners.
 * Runs on the internal server's one event loop (the bandwidth is not thread-safe).
 */
final class ReplicaSender {

  private static final int CHUNK_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final YieldingBandwidth bandwidth;

  ReplicaSender(Vertx vertx, YieldingBandwidth bandwidth) {
    this.vertx = vertx;
    this.bandwidth = bandwidth;
  }

  Future<Void> send(HttpServerResponse response, String path, long start, long length) {
    if (!bandwidth.yielding(System.nanoTime())) {
      // Nobody to yield to: the copying peer's own budget paces this through TCP. A listener who
      // arrives meanwhile waits for the rest of this one blob at most.
      return response.sendFile(path, start, length);
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    return vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false))
        .compose(file -> paced(response, file.setReadPos(start).setReadLength(length).setReadBufferSize(CHUNK_BYTES))
            .eventually(file::close));
  }

  /** Pauses the file for the bandwidth and for a slow peer, one pause at a time. */
  private Future<Void> paced(HttpServerResponse response, AsyncFile file) {
    Promise<Void> sent = Promise.promise();
    boolean[] pausing = {false};
    file.exceptionHandler(sent::tryFail);
    response.exceptionHandler(sent::tryFail);
    response.closeHandler(v -> sent.tryFail("the peer went away"));
    file.endHandler(v -> response.end().onComplete(sent));
    file.handler(chunk -> {
      response.write(chunk);
      long wait = bandwidth.take(chunk.length(), System.nanoTime());
      if (!pausing[0] && (wait > 0 || response.writeQueueFull())) {
        pausing[0] = true;
        file.pause();
        vertx.setTimer(Math.max(wait, 1), t -> {
          Runnable resume = () -> {
            pausing[0] = false;
            file.resume();
          };
          if (response.writeQueueFull()) {
            response.drainHandler(d -> resume.run());
          } else {
            resume.run();
          }
        });
      }
    });
    return sent.future();
  }
}
