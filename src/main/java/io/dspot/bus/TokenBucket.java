package io.dspot.bus;

/**
 * A token bucket of {@code bytesPerSecond}, holding at most {@code burstBytes} (one second's worth
 * unless told): a taker takes what it used and pauses for as long as the bucket says
 * (replication's bandwidth on an event loop, the scrub's pace on a thread of its own). Not
 * thread-safe: one taker thread.
 */
public final class TokenBucket {

  private final double bytesPerSecond;
  private final double burstBytes;
  private double tokens;
  private long lastNanos;

  public TokenBucket(long bytesPerSecond, long nowNanos) {
    this(bytesPerSecond, bytesPerSecond, nowNanos);
  }

  public TokenBucket(long bytesPerSecond, long burstBytes, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.tokens = burstBytes;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code bytes}; returns how many milliseconds the taker should wait before the next take (0: none). */
  public long take(long bytes, long nowNanos) {
    tokens = Math.min(burstBytes, tokens + (nowNanos - lastNanos) / 1e9 * bytesPerSecond);
    lastNanos = nowNanos;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerSecond * 1000);
  }
}
