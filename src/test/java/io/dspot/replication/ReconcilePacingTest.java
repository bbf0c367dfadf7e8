package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How soon a pass asked for by an event (a batch of songs added, a copy recorded) starts. */
class ReconcilePacingTest {

  @Test
  void aSmallCatalogsPassStartsAfterTheUsualHundredMillis() {
    assertThat(ReplicationVerticle.triggeredPassDelay(0)).isEqualTo(100);
    assertThat(ReplicationVerticle.triggeredPassDelay(20)).isEqualTo(100);
  }

  @Test
  void aLongPassIsFollowedAfterThreeTimesItsDurationSoPassesTakeAQuarterOfTheTimeAtMost() {
    assertThat(ReplicationVerticle.triggeredPassDelay(150)).isEqualTo(450);
    assertThat(ReplicationVerticle.triggeredPassDelay(400)).isEqualTo(1_200);
  }

  @Test
  void noTriggeredPassWaitsLongerThanThePaceWhileWorkIsOpen() {
    assertThat(ReplicationVerticle.triggeredPassDelay(5_000)).isEqualTo(2_000);
  }
}
