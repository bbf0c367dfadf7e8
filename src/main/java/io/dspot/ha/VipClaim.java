package io.dspot.ha;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Whether this node wants the VIP, whether it has it, and the scripts that bring the second to the
 * first, one at a time. Two at once could finish in either order: a release whose script ended
 * after a new claim had begun left the node sure it held a VIP that its own release had just
 * removed, and the cluster without one (seen in the lab's 1|2 split). A failed script leaves
 * {@link #held} as it was, so the next poll's {@link #hold} or {@link #release} tries again.
 * Not thread-safe except for the reads: the ha verticle's context calls it.
 */
final class VipClaim {

  /** {@code true}: run the up script, {@code false}: the down script; the Future says whether it succeeded. */
  private final Function<Boolean, Future<Boolean>> script;
  private volatile boolean wanted;
  private volatile boolean held;
  private boolean running;
  private final List<Promise<Void>> waiting = new ArrayList<>();

  VipClaim(Function<Boolean, Future<Boolean>> script) {
    this.script = script;
  }

  /** This node should hold the VIP (leader). */
  boolean wanted() {
    return wanted;
  }

  /** The VIP is on this node's interface, as far as the scripts said; a failed release counts as held. */
  boolean held() {
    return held;
  }

  /** Wanted or (still) held: a release is due when the node must not have it. */
  boolean claimed() {
    return wanted || held;
  }

  Future<Void> hold() {
    wanted = true;
    return converge();
  }

  Future<Void> release() {
    wanted = false;
    return converge();
  }

  /** Completes once no script is left to run (whether the last one succeeded or not). */
  private Future<Void> converge() {
    Promise<Void> done = Promise.promise();
    waiting.add(done);
    if (!running) {
      runIfNeeded();
    }
    return done.future();
  }

  private void runIfNeeded() {
    boolean want = wanted;
    if (want == held) {
      settled();
      return;
    }
    running = true;
    script.apply(want).onComplete(ran -> {
      running = false;
      if (ran.succeeded() && ran.result()) {
        held = want;
      } else if (wanted == want) {
        // Failed and still wanted: the next poll tries again rather than spinning here.
        settled();
        return;
      }
      runIfNeeded();
    });
  }

  private void settled() {
    List<Promise<Void>> done = new ArrayList<>(waiting);
    waiting.clear();
    done.forEach(Promise::tryComplete);
  }
}
