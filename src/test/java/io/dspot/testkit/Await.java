package io.dspot.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for something the cluster does in its own time (Awaitility underneath). Every wait names
 * what it waits for, and a timeout says so, with the last value seen:
 * <pre>
 * Await.within(Duration.ofSeconds(20)).until("3 members on every node", () -> ...);
 * long seq = Await.within(Duration.ofSeconds(10)).until("node-2 applied seq 40", () -> lastSeq(n2), s -> s >= 40);
 * ApiClient admin = Await.within(Duration.ofSeconds(30)).success("admin login on node-c", () -> client.asAdmin());
 * </pre>
 * {@code until} lets an exception from the condition fail the test at once; {@code success} is
 * for "not up yet" and retries while the attempt throws.
 */
public final class Await {

  private static final Duration DEFAULT_EVERY = Duration.ofMillis(100);

  private final Duration within;
  private final Duration every;

  private Await(Duration within, Duration every) {
    this.within = within;
    this.every = every;
  }

  /** Gives up after {@code within}, checking every 100 ms. */
  public static Await within(Duration within) {
    return new Await(within, DEFAULT_EVERY);
  }

  /** How often to look (100 ms unless a check is costly, e.g. a process per check). */
  public Await every(Duration every) {
    return new Await(within, every);
  }

  public void until(String what, Callable<Boolean> condition) {
    until(what, condition, Boolean.TRUE::equals);
  }

  /** Waits until {@code probe} returns a value {@code ok} accepts, and returns that value. */
  public <T> T until(String what, Callable<T> probe, Predicate<? super T> ok) {
    AtomicReference<Object> last = new AtomicReference<>("no value yet");
    try {
      return await(what).until(() -> {
        T value = probe.call();
        last.set(value);
        return value;
      }, ok);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("waited " + within.toMillis() + " ms for: " + what + " (last seen: " + last.get() + ")", e);
    }
  }

  /** Retries {@code attempt} while it throws, and returns its first result. */
  public <T> T success(String what, Callable<T> attempt) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> lastFailure = new AtomicReference<>();
    try {
      await(what).until(() -> {
        try {
          result.set(attempt.call());
          return true;
        } catch (Exception e) {
          lastFailure.set(e);
          return false;
        }
      });
      return result.get();
    } catch (ConditionTimeoutException e) {
      AssertionError failed = new AssertionError("waited " + within.toMillis() + " ms for: " + what + " (last failure: " + lastFailure.get() + ")", e);
      if (lastFailure.get() != null) {
        failed.addSuppressed(lastFailure.get());
      }
      throw failed;
    }
  }

  private ConditionFactory await(String what) {
    // An uncaught exception on some other thread (a node's Hazelcast or Vert.x thread while a peer
    // is killed) is not what this wait is about: Awaitility would otherwise fail the wait with it.
    return Awaitility.await(what).atMost(within).pollDelay(Duration.ZERO).pollInterval(every).dontCatchUncaughtExceptions();
  }
}
