package io.dspot.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential back-off after failed logins, counted per account and per client address. The first
 * free failures cost nothing ({@code freeFailures} for an account, four times that for an address,
 * which many people may share behind one NAT); then the key waits 1 s, 2 s, 4 s... up to
 * {@code maxBackoffMillis}. A key never has more than {@code maxInFlight} attempts being checked
 * at once (one while in back-off), so a burst cannot slip in between a failure and its recording,
 * nor one address fill the hashing queue that everyone's logins share. A success clears the
 * account (not the address: logging into one's own account must not buy more guesses at others).
 * Failures are forgotten after a quiet {@code maxBackoffMillis}.
 *
 * <p>Counts live on this node only: a password is checked where the login arrives, and sharing
 * counts through the ordered log would turn every wrong password into a cluster-wide write. An
 * attacker spreading guesses over n nodes gets n times the rate, still exponentially slowed.
 * Bounded (least recently used keys are forgotten first); not thread-safe: one event loop owns it.
 */
final class LoginThrottle {

  private static final int ADDRESS_FACTOR = 4;

  private static final class Key {
    final int freeFailures;
    int failures;
    int inFlight;
    long blockedUntil;
    long lastFailure;

    Key(int freeFailures) {
      this.freeFailures = freeFailures;
    }
  }

  /** Whether an attempt may go ahead; when not, how many seconds to wait (at least 1). */
  record Verdict(boolean allowed, long retryAfterSeconds) {}

  /** How an attempt ended; NOT_CHECKED (refused before any password was compared) counts for nothing. */
  enum Outcome { SUCCEEDED, FAILED, NOT_CHECKED }

  /** One attempt's keys: the account (lower-cased name) and, when known, the client address. */
  record Attempt(String account, String address) {
    String accountKey() {
      return "account:" + account;
    }

    String addressKey() {
      return address == null ? null : "address:" + address;
    }
  }

  private final int freeFailures;
  private final long maxBackoffMillis;
  private final int maxInFlight;
  private final Map<String, Key> keys;

  LoginThrottle(int freeFailures, long maxBackoffMillis, int maxInFlight, int capacity) {
    this.freeFailures = freeFailures;
    this.maxInFlight = maxInFlight;
    this.maxBackoffMillis = maxBackoffMillis;
    this.keys = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Key> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Checks both keys; when both allow, the attempt counts as in flight until {@link #finished}. */
  Verdict begin(long nowMillis, Attempt attempt) {
    long wait = Math.max(waitFor(attempt.accountKey(), nowMillis), waitFor(attempt.addressKey(), nowMillis));
    if (wait > 0) {
      return new Verdict(false, Math.max(1, (wait + 999) / 1_000));
    }
    key(attempt.accountKey(), freeFailures).inFlight++;
    if (attempt.address() != null) {
      key(attempt.addressKey(), freeFailures * ADDRESS_FACTOR).inFlight++;
    }
    return new Verdict(true, 0);
  }

  /** Ends an attempt that {@link #begin} allowed. */
  void finished(long nowMillis, Outcome outcome, Attempt attempt) {
    finished(attempt.accountKey(), nowMillis, outcome, true);
    if (attempt.address() != null) {
      finished(attempt.addressKey(), nowMillis, outcome, false);
    }
  }

  private void finished(String name, long nowMillis, Outcome outcome, boolean clearOnSuccess) {
    Key key = keys.get(name);
    if (key == null) {
      return;
    }
    key.inFlight = Math.max(0, key.inFlight - 1);
    if (outcome == Outcome.SUCCEEDED && clearOnSuccess) {
      key.failures = 0;
      key.blockedUntil = 0;
    } else if (outcome == Outcome.FAILED) {
      key.failures++;
      key.lastFailure = nowMillis;
      if (key.failures >= key.freeFailures) {
        int doublings = Math.min(30, key.failures - key.freeFailures);
        key.blockedUntil = nowMillis + Math.min(maxBackoffMillis, 1_000L << doublings);
      }
    }
  }

  private long waitFor(String name, long nowMillis) {
    Key key = name == null ? null : current(name, nowMillis);
    if (key == null) {
      return 0;
    }
    if (key.blockedUntil > nowMillis) {
      return key.blockedUntil - nowMillis;
    }
    return key.inFlight >= (key.failures >= key.freeFailures ? 1 : maxInFlight) ? 1_000 : 0;
  }

  private Key key(String name, int free) {
    return keys.computeIfAbsent(name, n -> new Key(free));
  }

  /** The key's state, forgetting it when it has been quiet for a whole maximum back-off. */
  private Key current(String name, long nowMillis) {
    Key key = keys.get(name);
    if (key != null && key.inFlight == 0 && key.blockedUntil <= nowMillis && nowMillis - key.lastFailure > maxBackoffMillis) {
      keys.remove(name);
      return null;
    }
    return key;
  }
}
