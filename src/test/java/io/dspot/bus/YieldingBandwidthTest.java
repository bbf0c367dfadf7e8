package io.dspot.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YieldingBandwidthTest {

  private static final long MS = 1_000_000L;

  @Test
  void aResponseInFlightMakesTheNodeBusyUntilAMomentAfterItEnds() {
    ListenerActivity listeners = new ListenerActivity();
    assertThat(listeners.busy(System.nanoTime())).isFalse();

    ListenerActivity.Response response = listeners.begin(() -> false);
    assertThat(listeners.busy(System.nanoTime() + 10_000 * MS)).as("a long response counts all along").isTrue();

    response.end();
    response.end();
    long ended = System.nanoTime();
    assertThat(listeners.inFlight()).as("ending twice counts once").isZero();
    assertThat(listeners.busy(ended)).as("a player between two ranges still counts").isTrue();
    assertThat(listeners.busy(ended + ListenerActivity.QUIET_NANOS + MS)).isFalse();
  }

  @Test
  void copiesGetTheFullRateWhileIdleAndTheLowRateWithATenthOfASecondsBurstWhileListenersAreServed() {
    ListenerActivity listeners = new ListenerActivity();
    long t0 = System.nanoTime();
    YieldingBandwidth bandwidth = new YieldingBandwidth(listeners, 1_000_000, 10_000, t0);

    assertThat(bandwidth.take(900_000, t0)).as("idle: a second's worth of the full rate at once").isZero();

    ListenerActivity.Response response = listeners.begin(() -> false);
    assertThat(bandwidth.yielding(t0)).isTrue();
    assertThat(bandwidth.take(1_000, t0)).as("the low rate's burst is 1,000 bytes").isZero();
    assertThat(bandwidth.take(1_000, t0)).as("then 1,000 bytes wait 100 ms at 10,000 B/s").isEqualTo(100);

    response.end();
    long later = System.nanoTime() + ListenerActivity.QUIET_NANOS + MS;
    assertThat(bandwidth.take(100_000, later)).as("listeners gone: the full rate again").isZero();
  }

  @Test
  void aResponseThatFinishedWithoutSayingSoIsFoundByTheSweepOnceItIsOldEnough() {
    ListenerActivity listeners = new ListenerActivity();
    boolean[] finished = {true};
    listeners.begin(() -> finished[0]);
    long now = System.nanoTime();
    assertThat(listeners.busy(now + 5_000 * MS)).as("young: trusted, whatever it says (sendFile says ended at once)").isTrue();

    assertThat(listeners.busy(now + ListenerActivity.TRUST_NANOS + 1_000 * MS)).as("old and finished, though nobody called end").isFalse();
    assertThat(listeners.inFlight()).isZero();
  }

  @Test
  void anOldResponseStillSendingKeepsCounting() {
    ListenerActivity listeners = new ListenerActivity();
    listeners.begin(() -> false);
    assertThat(listeners.busy(System.nanoTime() + ListenerActivity.TRUST_NANOS + 1_000 * MS)).isTrue();
    assertThat(listeners.inFlight()).isEqualTo(1);
  }
}
