package io.dspot.replication;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.bus.YieldingBandwidth;
import io.dspot.cluster.PeerClient;
import io.dspot.storage.BlobRoutes;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies blobs from peers into this node's blob store, at most {@code maxConcurrent} at once and
 * within the shared bandwidth budget, which shrinks while this node serves listeners
 * ({@link YieldingBandwidth}); the peer paces what it sends by its own listeners the same way.
 * A copy goes to a temp file, in 1 MiB writes; an interrupted one (the peer died, or sent nothing
 * for {@code stallMillis}) keeps its bytes, its peer is reported to its breaker, and the copy
 * resumes with a Range from their length, from the next holder.
 * The whole file is then checked (size from {@code X-Blob-Size}, SHA-256, hashed once, by the
 * store's commit), fsync'd and renamed into place (its directory fsync'd too); a copy that fails
 * the check is thrown away and its peer reported to its breaker. Only a verified, durable blob is
 * handed to {@code done}. Runs on one event loop.
 */
final class BlobCopier {

  private static final Logger log = LoggerFactory.getLogger(BlobCopier.class);
  private final RateLimitedWarning warning = new RateLimitedWarning(log, java.time.Duration.ofMinutes(1));

  private final Vertx vertx;
  private final BlobStore blobs;
  private final PeerClient peers;
  private final int maxConcurrent;
  private final long stallMillis;
  /** Bytes gathered before one write to the temp file: fewer, larger writes cost less than one per network chunk. */
  private static final int WRITE_BATCH_BYTES = 1024 * 1024;
  /** Two batches may be on their way to the disk while the next one fills. */
  private static final int WRITE_QUEUE_BYTES = 2 * WRITE_BATCH_BYTES + 1;

  private final YieldingBandwidth bandwidth;
  private final RateMeter rate = new RateMeter();
  private final BiConsumer<ReconcilePlan.Fetch, Long> done;
  private final Deque<ReconcilePlan.Fetch> queue = new ArrayDeque<>();
  private final Set<String> pending = new HashSet<>();
  /** Temp files of copies that were interrupted, by blob: the next attempt resumes from their length. */
  private final Map<String, Path> partials = new HashMap<>();
  private int running;
  private long copies;
  private long copiedBytes;

  BlobCopier(Vertx vertx, BlobStore blobs, PeerClient peers, int maxConcurrent, YieldingBandwidth bandwidth, long stallMillis,
      BiConsumer<ReconcilePlan.Fetch, Long> done) {
    this.stallMillis = stallMillis;
    this.vertx = vertx;
    this.blobs = blobs;
    this.peers = peers;
    this.maxConcurrent = maxConcurrent;
    this.bandwidth = bandwidth;
    this.done = done;
  }

  /** Queues a copy unless this blob is already queued or being copied. */
  void request(ReconcilePlan.Fetch fetch) {
    if (pending.add(fetch.sha256())) {
      queue.add(fetch);
      pump();
    }
  }

  /** Copies queued or running. */
  int backlog() {
    return pending.size();
  }

  long copies() {
    return copies;
  }

  long copiedBytes() {
    return copiedBytes;
  }

  long bytesPerSecond() {
    return rate.perSecond(System.currentTimeMillis());
  }

  private void pump() {
    while (running < maxConcurrent && !queue.isEmpty()) {
      ReconcilePlan.Fetch fetch = queue.poll();
      running++;
      copyFrom(fetch, 0).onComplete(result -> {
        running--;
        pending.remove(fetch.sha256());
        if (result.succeeded()) {
          copies++;
          done.accept(fetch, result.result());
        } else {
          warning.warnFor("copy", "could not copy blob {} from any of {}: {}", fetch.sha256(), fetch.sources(),
              result.cause().getMessage());
        }
        pump();
      });
    }
  }

  /** Tries the holders in turn; succeeds with the blob's size once it is in the store. */
  private Future<Long> copyFrom(ReconcilePlan.Fetch fetch, int index) {
    if (index >= fetch.sources().size()) {
      return Future.failedFuture(new IllegalStateException("no holder left to try"));
    }
    String peer = fetch.sources().get(index);
    return copyOnce(fetch.sha256(), peer).recover(e -> {
      log.info("copy of {} from {} failed ({}); trying the next holder", fetch.sha256(), peer, e.getMessage());
      return copyFrom(fetch, index + 1);
    });
  }

  private Future<Long> copyOnce(String sha, String peer) {
    Path temp = partials.computeIfAbsent(sha, s -> blobs.newIntake(".replica").tempFile());
    return vertx.fileSystem().exists(temp.toString())
        .compose(exists -> exists ? vertx.fileSystem().props(temp.toString()).map(p -> p.size()) : Future.succeededFuture(0L))
        .compose(have -> peers.openBytes(peer, BlobRoutes.replicaPathOf(sha), have > 0 ? "bytes=" + have + "-" : null)
            .compose(response -> receive(sha, peer, temp, have, response)));
  }

  private Future<Long> receive(String sha, String peer, Path temp, long have, HttpClientResponse response) {
    // Listening at once: the connection may break while the temp file is being opened.
    Promise<Void> finished = Promise.promise();
    response.exceptionHandler(finished::tryFail);
    int status = response.statusCode();
    long offset;
    if (status == 206 && String.valueOf(response.getHeader("Content-Range")).startsWith("bytes " + have + "-")) {
      offset = have;
    } else if (status == 200) {
      offset = 0;
    } else {
      response.resume();
      if (status == 416) {
        forget(sha);
      }
      return Future.failedFuture(new IllegalStateException(peer + " answered " + status));
    }
    long size;
    try {
      size = Long.parseLong(response.getHeader("X-Blob-Size"));
    } catch (RuntimeException e) {
      response.resume();
      peers.reportFailure(peer, "blob " + sha + " without a valid X-Blob-Size");
      return Future.failedFuture(new IllegalStateException(peer + " sent no X-Blob-Size"));
    }
    OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(offset == 0);
    return vertx.fileSystem().open(temp.toString(), options).compose(file -> {
      file.setWritePos(offset).setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      return stream(response, file, finished).transform(streamed -> file.close().transform(closed -> {
        if (streamed.failed()) {
          // Interrupted: keep what arrived; the next attempt resumes after it, and the hash checks it all.
          peers.reportFailure(peer, "copy of " + sha + " interrupted: " + streamed.cause().getMessage());
          return Future.failedFuture(streamed.cause());
        }
        return verifyAndCommit(sha, peer, temp, size);
      }));
    });
  }

  /**
   * Writes the body to the file in batches, pausing for the bandwidth budget and for the disk (one
   * pause at a time). A body that brings nothing for {@code stallMillis} while we are not pausing it
   * fails.
   */
  private Future<Void> stream(HttpClientResponse response, AsyncFile file, Promise<Void> finished) {
    boolean[] pausing = {false};
    long[] lastChunk = {System.currentTimeMillis()};
    long watchdog = vertx.setPeriodic(Math.max(stallMillis / 4, 10), t -> {
      if (!pausing[0] && System.currentTimeMillis() - lastChunk[0] > stallMillis
          && finished.tryFail(new IllegalStateException("no bytes for " + stallMillis + " ms"))) {
        response.request().reset();
      }
    });
    Buffer[] batch = {Buffer.buffer(WRITE_BATCH_BYTES)};
    file.exceptionHandler(finished::tryFail);
    response.endHandler(v -> finished.tryComplete());
    response.handler(chunk -> {
      if (finished.future().isComplete()) {
        return;
      }
      lastChunk[0] = System.currentTimeMillis();
      batch[0].appendBuffer(chunk);
      if (batch[0].length() >= WRITE_BATCH_BYTES) {
        file.write(batch[0]);
        batch[0] = Buffer.buffer(WRITE_BATCH_BYTES);
      }
      copiedBytes += chunk.length();
      rate.add(chunk.length(), lastChunk[0]);
      long wait = bandwidth.take(chunk.length(), System.nanoTime());
      if (!pausing[0] && (wait > 0 || file.writeQueueFull())) {
        pausing[0] = true;
        response.pause();
        vertx.setTimer(Math.max(wait, 1), t -> {
          if (finished.future().isComplete()) {
            return;
          }
          Runnable resume = () -> {
            pausing[0] = false;
            lastChunk[0] = System.currentTimeMillis();
            response.resume();
          };
          if (file.writeQueueFull()) {
            file.drainHandler(d -> resume.run());
          } else {
            resume.run();
          }
        });
      }
    });
    response.resume();
    // Also after an interruption: every byte that arrived is kept for the resume (the hash checks them all).
    return finished.future().onComplete(done -> {
      vertx.cancelTimer(watchdog);
      if (batch[0].length() > 0) {
        file.write(batch[0]);
      }
    });
  }

  private Future<Long> verifyAndCommit(String sha, String peer, Path temp, long size) {
    return vertx.<Boolean>executeBlocking(() -> {
      try {
        // The store checks size and hash as it commits, forces the file to disk, and removes a
        // temp file it refuses; refused content is the peer's fault, any other failure is ours.
        blobs.commit(temp, sha, size);
        return true;
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof BlobStore.WrongContent) {
          return false;
        }
        throw e;
      }
    }).compose(good -> {
      partials.remove(sha);
      if (!good) {
        peers.reportFailure(peer, "blob " + sha + " arrived with the wrong size or hash");
        return Future.failedFuture(new IllegalStateException(peer + " sent bytes that do not hash to " + sha));
      }
      return Future.succeededFuture(size);
    }, e -> {
      forget(sha);
      return Future.failedFuture(e);
    });
  }

  private void forget(String sha) {
    Path temp = partials.remove(sha);
    if (temp != null) {
      vertx.executeBlocking(() -> {
        blobs.discard(temp);
        return null;
      });
    }
  }
}
