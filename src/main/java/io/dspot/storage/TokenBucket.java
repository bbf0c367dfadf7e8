package io.dspot.storage;

/**
 * Holds a reader to {@code bytesPerSecond} on average, with at most a second's worth of burst:
 * {@link #take} blocks (in short sleeps, so a stop is noticed) until the bytes are allowed. Blocking:
 * only for a thread of its own.
 */
final class TokenBucket {

  private static final long MAX_SLEEP_MILLIS = 100;

  private final long bytesPerSecond;
  private double tokens;
  private long refilledAt = System.nanoTime();

  TokenBucket(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("a pace must be positive, got " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
  }

  /** Takes {@code bytes}, waiting until the pace allows them; false if {@code stopped} said stop first. */
  boolean take(long bytes, java.util.function.BooleanSupplier stopped) throws InterruptedException {
    refill();
    tokens -= bytes;
    while (tokens < 0) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      long wait = (long) Math.ceil(-tokens * 1000.0 / bytesPerSecond);
      Thread.sleep(Math.max(1, Math.min(wait, MAX_SLEEP_MILLIS)));
      refill();
    }
    return true;
  }

  /** A read size that keeps each wait short at this pace. */
  int chunkBytes() {
    return (int) Math.max(4 * 1024, Math.min(64 * 1024, bytesPerSecond / 16));
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(bytesPerSecond, tokens + (now - refilledAt) / 1e9 * bytesPerSecond);
    refilledAt = now;
  }
}
