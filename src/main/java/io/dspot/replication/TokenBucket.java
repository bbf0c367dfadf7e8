package io.dspot.replication;

/**
 * Replication's bandwidth limit: a token bucket of {@code bytesPerSecond}, holding at most one
 * second's worth, shared by every copy on the node. A copy takes what it wrote and pauses for as
 * long as the bucket says. Not thread-safe: one event loop.
 */
final class TokenBucket {

  private final double bytesPerSecond;
  private double tokens;
  private long lastNanos;

  TokenBucket(long bytesPerSecond, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code bytes}; returns how many milliseconds the taker should wait before the next take (0: none). */
  long take(long bytes, long nowNanos) {
    tokens = Math.min(bytesPerSecond, tokens + (nowNanos - lastNanos) / 1e9 * bytesPerSecond);
    lastNanos = nowNanos;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerSecond * 1000);
  }
}
