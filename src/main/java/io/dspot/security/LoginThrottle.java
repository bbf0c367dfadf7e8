package io.dspot.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential back-off after failed logins, per key (one for the account, one for the client
 * address). The first {@code freeFailures} failures cost nothing; then the key waits 1 s, 2 s,
 * 4 s... up to {@code maxBackoffMillis}. A key never has more than {@code maxInFlight} attempts
 * being checked at once (one while in back-off), so a burst cannot slip in between a failure and
 * its recording, nor one address fill the hashing queue that everyone's logins share. A success clears the
 * account's key (not the address's: logging into one's own account must not buy more guesses at
 * others). Failures are forgotten after a quiet {@code maxBackoffMillis}.
 *
 * <p>Counts live on this node only: a password is checked where the login arrives, and sharing
 * counts through the ordered log would turn every wrong password into a cluster-wide write. An
 * attacker spreading guesses over n nodes gets n times the rate, still exponentially slowed.
 * Bounded (least recently used keys are forgotten first); not thread-safe: one event loop owns it.
 */
final class LoginThrottle {

  private static final class Key {
    int failures;
    int inFlight;
    long blockedUntil;
    long lastFailure;
  }

  /** Whether an attempt may go ahead; when not, how many seconds to wait (at least 1). */
  record Verdict(boolean allowed, long retryAfterSeconds) {}

  /** How an attempt ended; NOT_CHECKED (refused before any password was compared) counts for nothing. */
  enum Outcome { SUCCEEDED, FAILED, NOT_CHECKED }

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

  /** Checks every key; when all allow, the attempt counts as in flight until {@link #finished}. */
  Verdict begin(long nowMillis, String... keyNames) {
    long wait = 0;
    for (String name : keyNames) {
      Key key = current(name, nowMillis);
      if (key == null) {
        continue;
      }
      if (key.blockedUntil > nowMillis) {
        wait = Math.max(wait, key.blockedUntil - nowMillis);
      } else if (key.inFlight >= (key.failures >= freeFailures ? 1 : maxInFlight)) {
        wait = Math.max(wait, 1_000);
      }
    }
    if (wait > 0) {
      return new Verdict(false, Math.max(1, (wait + 999) / 1_000));
    }
    for (String name : keyNames) {
      keys.computeIfAbsent(name, n -> new Key()).inFlight++;
    }
    return new Verdict(true, 0);
  }

  /** Ends an attempt begun with the same keys; {@code accountKey} is cleared on success. */
  void finished(long nowMillis, Outcome outcome, String accountKey, String... keyNames) {
    for (String name : keyNames) {
      Key key = keys.get(name);
      if (key == null) {
        continue;
      }
      key.inFlight = Math.max(0, key.inFlight - 1);
      if (outcome == Outcome.NOT_CHECKED) {
        continue;
      }
      if (outcome == Outcome.SUCCEEDED) {
        if (name.equals(accountKey)) {
          key.failures = 0;
          key.blockedUntil = 0;
        }
        continue;
      }
      key.failures++;
      key.lastFailure = nowMillis;
      if (key.failures >= freeFailures) {
        int doublings = Math.min(30, key.failures - freeFailures);
        key.blockedUntil = nowMillis + Math.min(maxBackoffMillis, 1_000L << doublings);
      }
    }
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
