package io.dspot.storage;

import io.dspot.bus.TokenBucket;

/**
 * Holds a reader to {@code bytesPerSecond} on average, with at most a second's worth of burst:
 * {@link #take} blocks (in short sleeps, so a stop is noticed) until the bytes are allowed. Blocking:
 * only for a thread of its own.
 */
final class Pace {

  private static final long MAX_SLEEP_MILLIS = 100;

  private final long bytesPerSecond;
  private final TokenBucket bucket;

  Pace(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("a pace must be positive, got " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.bucket = new TokenBucket(bytesPerSecond, System.nanoTime());
  }

  /** Takes {@code bytes}, waiting until the pace allows them; false if {@code stopped} said stop first. */
  boolean take(long bytes, java.util.function.BooleanSupplier stopped) throws InterruptedException {
    long now = System.nanoTime();
    long allowedAt = now + bucket.take(bytes, now) * 1_000_000L;
    for (long left = allowedAt - now; left > 0; left = allowedAt - System.nanoTime()) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      Thread.sleep(Math.max(1, Math.min((left + 999_999) / 1_000_000, MAX_SLEEP_MILLIS)));
    }
    return true;
  }

  /** A read size that keeps each wait short at this pace. */
  int chunkBytes() {
    return (int) Math.max(4 * 1024, Math.min(64 * 1024, bytesPerSecond / 16));
  }
}
