package io.dspot.security;

import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Password hashing (PBKDF2, deliberately slow) on a small worker pool of its own, with at most
 * {@code bound} hashes running or waiting. One beyond that is refused at once with a 503 rather
 * than queued: a flood of logins then costs its senders their answers, not everyone else the
 * worker pool or a growing wait. Used from the security verticle's event loop only.
 */
final class HashingQueue {

  static final String BUSY = "the server is busy checking other passwords; retry after 1 s";

  private final WorkerExecutor workers;
  private final int bound;
  private int pending;

  HashingQueue(WorkerExecutor workers, int bound) {
    this.workers = workers;
    this.bound = bound;
  }

  <T> Future<T> submit(Callable<T> hashing) {
    if (pending >= bound) {
      return Future.failedFuture(new ServiceException(503, BUSY));
    }
    pending++;
    // Ordered false: independent hashes run side by side on the pool's threads.
    return workers.executeBlocking(hashing, false).andThen(done -> pending--);
  }

  Future<Void> close() {
    return workers.close();
  }
}
