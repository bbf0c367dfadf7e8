package io.dspot.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aSecondsWorthPassesAtOnceThenTakersWaitForTheRate() {
    TokenBucket bucket = new TokenBucket(1_000, 0);
    assertThat(bucket.take(1_000, 0)).isZero();
    assertThat(bucket.take(500, 0)).isEqualTo(500);
    // Half a second later the debt is paid.
    assertThat(bucket.take(0, SECOND / 2)).isZero();
  }

  @Test
  void idleTimeFillsTheBucketToOneSecondAtMost() {
    TokenBucket bucket = new TokenBucket(1_000, 0);
    bucket.take(1_000, 0);
    assertThat(bucket.take(1_000, 10 * SECOND)).isZero();
    assertThat(bucket.take(1_000, 10 * SECOND)).isEqualTo(1_000);
  }

  @Test
  void aSmallerBurstCapsWhatIdleTimeSavesUp() {
    TokenBucket bucket = new TokenBucket(1_000, 100, 0);
    assertThat(bucket.take(100, 10 * SECOND)).isZero();
    assertThat(bucket.take(100, 10 * SECOND)).isEqualTo(100);
  }
}
