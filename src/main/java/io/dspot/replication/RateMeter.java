package io.dspot.replication;

/** Bytes per second over the last few seconds, for the cluster view. Not thread-safe: one event loop. */
final class RateMeter {

  private static final int SECONDS = 5;
  private final long[] buckets = new long[SECONDS];
  private long currentSecond = -1;

  void add(long bytes, long nowMillis) {
    roll(nowMillis);
    buckets[(int) (currentSecond % SECONDS)] += bytes;
  }

  /** Average over the last full seconds (the current, partial one excluded). */
  long perSecond(long nowMillis) {
    roll(nowMillis);
    long sum = 0;
    for (int i = 1; i < SECONDS; i++) {
      sum += buckets[(int) ((currentSecond - i + SECONDS * 2L) % SECONDS)];
    }
    return sum / (SECONDS - 1);
  }

  private void roll(long nowMillis) {
    long second = nowMillis / 1000;
    if (currentSecond < 0) {
      currentSecond = second;
      return;
    }
    for (long s = currentSecond + 1; s <= second && s <= currentSecond + SECONDS; s++) {
      buckets[(int) (s % SECONDS)] = 0;
    }
    currentSecond = Math.max(currentSecond, second);
  }
}
