package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How soon a pass asked for by an event (a batch of songs added, a copy recorded) starts, and how long copies gather before they are recorded. */
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

  @Test
  void copiesWaitTheUsualTwoHundredMillisToBeRecordedTogetherWhileRecordsAreQuick() {
    assertThat(ReplicationVerticle.gatherDelay(0)).isEqualTo(200);
    assertThat(ReplicationVerticle.gatherDelay(60)).isEqualTo(200);
  }

  @Test
  void aSlowRecordIsFollowedAfterTwiceItsDurationSoRecordsHoldTheTokenAThirdOfTheTimeAtMost() {
    assertThat(ReplicationVerticle.gatherDelay(400)).isEqualTo(800);
    assertThat(ReplicationVerticle.gatherDelay(900)).isEqualTo(1_800);
  }

  @Test
  void noRecordWaitsLongerThanTwoSecondsForAQuorumAcknowledgementsSake() {
    assertThat(ReplicationVerticle.gatherDelay(10_000)).isEqualTo(2_000);
  }
}
