package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PaceTest {

  @Test
  void holdsAReaderToItsPaceAfterASecondsBurst() throws InterruptedException {
    Pace pace = new Pace(1_000_000);
    long started = System.nanoTime();
    for (int taken = 0; taken < 1_500_000; taken += 50_000) {
      assertThat(pace.take(50_000, () -> false)).isTrue();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    // A second's worth goes at once, the other half million at a million bytes a second.
    assertThat(millis).isBetween(400L, 1_500L);
  }

  @Test
  void aStopEndsTheWait() throws InterruptedException {
    Pace pace = new Pace(1_000);
    long started = System.nanoTime();
    assertThat(pace.take(1_000_000, () -> true)).isFalse();
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
  }

  @Test
  void readsAreSizedToKeepEachWaitShort() {
    assertThat(new Pace(1_000).chunkBytes()).isEqualTo(4 * 1024);
    assertThat(new Pace(100L * 1024 * 1024).chunkBytes()).isEqualTo(64 * 1024);
  }
}
