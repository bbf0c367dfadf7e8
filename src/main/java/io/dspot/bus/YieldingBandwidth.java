package io.dspot.bus;

/**
 * The bandwidth of background work (replica copies, in or out) that yields to listeners: the full
 * rate while nobody is being served, a low one while {@link ListenerActivity#busy} says someone
 * is. Each take looks again, so a copy slows down within one chunk of a listener arriving and
 * speeds up about {@link ListenerActivity#QUIET_NANOS} after the last one left. The low rate's
 * burst is a tenth of a second's worth, so a listener who arrives does not first meet a second of
 * saved-up copying. Not thread-safe: one taker thread (an event loop).
 */
public final class YieldingBandwidth {

  private final ListenerActivity listeners;
  private final TokenBucket idle;
  private final TokenBucket whileStreaming;

  public YieldingBandwidth(ListenerActivity listeners, long idleBytesPerSecond, long streamingBytesPerSecond, long nowNanos) {
    this.listeners = listeners;
    this.idle = new TokenBucket(idleBytesPerSecond, nowNanos);
    this.whileStreaming = new TokenBucket(streamingBytesPerSecond, Math.max(1, streamingBytesPerSecond / 10), nowNanos);
  }

  /** Takes {@code bytes} from the budget of the moment; returns how many milliseconds to pause (0: none). */
  public long take(long bytes, long nowNanos) {
    return (listeners.busy(nowNanos) ? whileStreaming : idle).take(bytes, nowNanos);
  }

  /** Whether listeners are being served now, i.e. the low rate applies. */
  public boolean yielding(long nowNanos) {
    return listeners.busy(nowNanos);
  }
}
