package io.dspot.bus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Whether listeners are being served on this node right now: song responses in flight, or one
 * that ended a moment ago (a player between two range requests still counts). Streaming reports
 * each response; background work (replica copies in and out) reads {@link #busy} to yield the
 * machine to listeners. One per node, shared by every event loop: thread-safe and cheap (a few
 * atomics per response).
 *
 * <p>A response that ends without telling (a path that forgot, a handler replaced) would keep the
 * node "busy" and its repair slow for ever, so while responses are counted, {@link #busy} also
 * asks those older than {@link #TRUST_NANOS}, at most every {@link #SWEEP_NANOS}, whether they
 * have in fact finished. Not younger ones: Vert.x calls a response ended as soon as its
 * {@code sendFile} starts, long before a slow listener has the bytes.
 */
public final class ListenerActivity {

  /** A response that ended less than this long ago still counts: players send their ranges back to back. */
  static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
  private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  static final long TRUST_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Set<Response> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong begun = new AtomicLong();
  private final AtomicLong lastEndedNanos = new AtomicLong(System.nanoTime() - 2 * QUIET_NANOS);
  private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime());

  /**
   * A listener's response starts; call the returned handle's {@link Response#end} once it ended or
   * broke off (more calls are harmless). {@code finished} says whether it has, for the sweep
   * (which asks only after {@link #TRUST_NANOS}).
   */
  public Response begin(BooleanSupplier finished) {
    Response response = new Response(finished);
    begun.incrementAndGet();
    inFlight.incrementAndGet();
    open.add(response);
    return response;
  }

  public boolean busy(long nowNanos) {
    if (inFlight.get() > 0) {
      sweep(nowNanos);
    }
    return inFlight.get() > 0 || nowNanos - lastEndedNanos.get() < QUIET_NANOS;
  }

  private void sweep(long nowNanos) {
    long last = lastSweepNanos.get();
    if (nowNanos - last >= SWEEP_NANOS && lastSweepNanos.compareAndSet(last, nowNanos)) {
      for (Response response : open) {
        if (nowNanos - response.begunNanos > TRUST_NANOS && response.finished.getAsBoolean()) {
          response.end();
        }
      }
    }
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
    private final BooleanSupplier finished;
    private final long begunNanos = System.nanoTime();

    private Response(BooleanSupplier finished) {
      this.finished = finished;
    }

    public void end() {
      if (ended.compareAndSet(false, true)) {
        open.remove(this);
        lastEndedNanos.set(System.nanoTime());
        inFlight.decrementAndGet();
      }
    }
  }
}
