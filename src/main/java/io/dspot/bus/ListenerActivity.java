package io.dspot.bus;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether listeners are being served on this node right now: song responses in flight, or one
 * that ended a moment ago (a player between two range requests still counts). Streaming reports
 * each response; background work (replica copies in and out) reads {@link #busy} to yield the
 * machine to listeners. One per node, shared by every event loop: thread-safe and cheap (two
 * atomics per response).
 */
public final class ListenerActivity {

  /** A response that ended less than this long ago still counts: players send their ranges back to back. */
  static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong begun = new AtomicLong();
  private final AtomicLong lastEndedNanos = new AtomicLong(System.nanoTime() - 2 * QUIET_NANOS);

  /** A listener's response starts; call the returned handle's {@link Response#end} once it ended or broke off (more calls are harmless). */
  public Response begin() {
    begun.incrementAndGet();
    inFlight.incrementAndGet();
    return new Response();
  }

  public boolean busy(long nowNanos) {
    return inFlight.get() > 0 || nowNanos - lastEndedNanos.get() < QUIET_NANOS;
  }

  /** Responses begun since the node started. */
  public long begun() {
    return begun.get();
  }

  /** Responses being sent now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** One response in flight; ends at most once whichever of its end, close or failure comes first. */
  public final class Response {
    private final AtomicBoolean ended = new AtomicBoolean();

    private Response() {}

    public void end() {
      if (ended.compareAndSet(false, true)) {
        lastEndedNanos.set(System.nanoTime());
        inFlight.decrementAndGet();
      }
    }
  }
}
