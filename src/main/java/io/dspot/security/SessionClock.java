package io.dspot.security;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * A session's two deadlines: {@code lifetime} after login at the latest, and {@code idle} after
 * its last use. The idle deadline slides, but every move is an ordered event replicated to every
 * node, so it moves in coarse steps: only once the stored deadline has fallen more than a tenth of
 * the idle time behind "now + idle". An active session thus costs one event per idle/10 (17 h with
 * the default 7 days), not one per request, at the price of expiring up to idle/10 early. Nothing
 * is kept per request: the last use is the stored deadline itself.
 */
final class SessionClock {

  private final Duration lifetime;
  private final Duration idle;
  private final Duration step;

  SessionClock(Duration lifetime, Duration idle) {
    this.lifetime = lifetime;
    this.idle = idle;
    this.step = idle.dividedBy(10);
  }

  OffsetDateTime expiresAt(OffsetDateTime loginTime) {
    return loginTime.plus(lifetime);
  }

  OffsetDateTime idleUntil(OffsetDateTime now) {
    return now.plus(idle);
  }

  /** Whether a use at {@code now} should move the stored deadline (null: a session from before idle expiry). */
  boolean shouldExtend(OffsetDateTime storedIdleUntil, OffsetDateTime now) {
    return storedIdleUntil == null || storedIdleUntil.isBefore(now.plus(idle).minus(step));
  }

  /** How long a node may answer for a session from memory: never long enough to miss a step. */
  long cacheMillis(long wanted) {
    return Math.max(1, Math.min(wanted, step.toMillis()));
  }

  long lifetimeSeconds() {
    return lifetime.toSeconds();
  }
}
