package io.dspot.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdleBackoffTest {

  @Test
  void quietChecksDoubleUpToTheLongestAndAFindingGoesBackToTheShortest() {
    IdleBackoff backoff = new IdleBackoff(2_000, 30_000);
    assertThat(backoff.next(false)).isEqualTo(2_000);
    assertThat(backoff.next(false)).isEqualTo(4_000);
    assertThat(backoff.next(false)).isEqualTo(8_000);
    assertThat(backoff.next(false)).isEqualTo(16_000);
    assertThat(backoff.next(false)).isEqualTo(30_000);
    assertThat(backoff.next(false)).isEqualTo(30_000);
    assertThat(backoff.next(true)).isEqualTo(2_000);
    assertThat(backoff.next(false)).isEqualTo(4_000);
    backoff.reset();
    assertThat(backoff.next(false)).isEqualTo(2_000);
  }

  @Test
  void shortestAboveLongestIsRefused() {
    assertThatThrownBy(() -> new IdleBackoff(5_000, 1_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdleBackoff(0, 1_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
