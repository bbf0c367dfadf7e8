package io.dspot.bus;

/**
 * The delay until a safety-net check runs again: the shortest while checks keep finding
 * something, doubling up to the longest while they find nothing. An idle node then wakes up
 * rarely, and one that sees changes keeps looking closely. Not thread-safe: one owner.
 */
public final class IdleBackoff {

  private final long shortestMillis;
  private final long longestMillis;
  private long current;

  public IdleBackoff(long shortestMillis, long longestMillis) {
    if (shortestMillis <= 0 || longestMillis < shortestMillis) {
      throw new IllegalArgumentException("need 0 < shortest <= longest, got " + shortestMillis + " and " + longestMillis);
    }
    this.shortestMillis = shortestMillis;
    this.longestMillis = longestMillis;
  }

  /** The delay before the next check, given whether the last one found anything. */
  public long next(boolean foundSomething) {
    current = foundSomething || current == 0 ? shortestMillis : Math.min(longestMillis, current * 2);
    return current;
  }

  /** Starts over: the next delay is the shortest. */
  public void reset() {
    current = 0;
  }
}
