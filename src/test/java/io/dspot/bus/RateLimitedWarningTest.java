package io.dspot.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedWarningTest {

  private final AtomicLong now = new AtomicLong(Instant.parse("2026-11-29T10:41:02Z").toEpochMilli());
  private final RateLimitedWarning warning =
      new RateLimitedWarning(LoggerFactory.getLogger(RateLimitedWarningTest.class), Duration.ofSeconds(60), now::get);

  @Test
  void firstFailureIsLoggedAtOnce() {
    assertThat(warning.warn("catch-up from {} failed: {}", "node-2", "timeout")).isEqualTo("catch-up from node-2 failed: timeout");
  }

  @Test
  void repeatsWithinTheQuietPeriodAreCountedNotLogged() {
    warning.warn("relay to {} failed", "node-2");
    now.addAndGet(1_000);
    assertThat(warning.warn("relay to {} failed", "node-2")).isNull();
    now.addAndGet(1_000);
    assertThat(warning.warn("relay to {} failed", "node-3")).isNull();
  }

  @Test
  void eachKeyIsHeardTheFirstTimeItFails() {
    assertThat(warning.warnFor("node-2", "relay to {} failed", "node-2")).isNotNull();
    now.addAndGet(1_000);
    assertThat(warning.warnFor("node-3", "relay to {} failed", "node-3")).isEqualTo("relay to node-3 failed");
    assertThat(warning.warnFor("node-2", "relay to {} failed", "node-2")).isNull();
  }

  @Test
  void afterTheQuietPeriodTheNextWarningSaysHowManyWereHeldBackSinceWhen() {
    warning.warn("relay to {} failed", "node-2");
    for (int i = 0; i < 12; i++) {
      now.addAndGet(1_000);
      warning.warn("relay to {} failed", "node-2");
    }
    now.addAndGet(60_000);
    assertThat(warning.warn("relay to {} failed", "node-2")).isEqualTo("relay to node-2 failed (12 more since 10:41:02)");
    now.addAndGet(60_000);
    assertThat(warning.warn("relay to {} failed", "node-2")).isEqualTo("relay to node-2 failed");
  }
}
