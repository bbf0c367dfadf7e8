package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HashingQueueTest {

  @Test
  void beyondTheBoundAHashIsRefusedAtOnceAndTheQueueRecovers() throws Exception {
    Vertx vertx = Vertx.vertx();
    CountDownLatch release = new CountDownLatch(1);
    try {
      HashingQueue[] holder = new HashingQueue[1];
      Future<String> first = onContext(vertx, () -> {
        holder[0] = new HashingQueue(vertx.createSharedWorkerExecutor("hashing-test", 1), 2);
        return holder[0].submit(() -> { release.await(); return "one"; });
      });
      Future<String> second = onContext(vertx, () -> holder[0].submit(() -> { release.await(); return "two"; }));
      long started = System.nanoTime();
      Future<String> third = onContext(vertx, () -> holder[0].submit(() -> "three"));
      Throwable refused = awaitFailure(third);
      assertThat(System.nanoTime() - started).as("refused at once, not queued").isLessThan(TimeUnit.SECONDS.toNanos(2));
      assertThat(refused).isInstanceOf(ServiceException.class);
      assertThat(((ServiceException) refused).status).isEqualTo(503);
      assertThat(SecurityAddresses.retryAfterSeconds(refused.getMessage())).isEqualTo(1);
      release.countDown();
      assertThat(first.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(second.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("two");
      Future<String> after = onContext(vertx, () -> holder[0].submit(() -> "four"));
      assertThat(after.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("four");
    } finally {
      release.countDown();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code action} on one event-loop context (the queue is used from one, as in the verticle). */
  private static <T> Future<T> onContext(Vertx vertx, java.util.function.Supplier<Future<T>> action) throws Exception {
    java.util.concurrent.CompletableFuture<Future<T>> made = new java.util.concurrent.CompletableFuture<>();
    CONTEXT.computeIfAbsent(vertx, v -> v.getOrCreateContext()).runOnContext(v -> made.complete(action.get()));
    return made.get(10, TimeUnit.SECONDS);
  }

  private static final java.util.Map<Vertx, io.vertx.core.Context> CONTEXT = new java.util.concurrent.ConcurrentHashMap<>();

  private static Throwable awaitFailure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }
}
