package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VIP scripts run one at a time, and what the node believes it holds is what the last script did. */
class VipClaimTest {

  /** The scripts the claim started, in order ("up"/"down"), each finished by the test. */
  private final List<String> started = new ArrayList<>();
  private final List<Promise<Boolean>> running = new ArrayList<>();
  private final VipClaim claim = new VipClaim(up -> {
    assertThat(running).as("a script started while another runs").allMatch(p -> p.future().isComplete());
    started.add(up ? "up" : "down");
    Promise<Boolean> p = Promise.promise();
    running.add(p);
    return p.future();
  });

  private void finishLast(boolean ok) {
    running.get(running.size() - 1).complete(ok);
  }

  @Test
  void aClaimDuringARunningReleaseRunsTheUpScriptAgainAfterIt() {
    claim.hold();
    finishLast(true);
    claim.release();
    Future<Void> reclaimed = claim.hold();
    assertThat(started).as("the claim waits for the release's script").containsExactly("up", "down");
    finishLast(true);
    assertThat(started).as("the release removed the VIP, so the claim adds it again").containsExactly("up", "down", "up");
    assertThat(claim.held()).as("not held until the up script is done").isFalse();
    finishLast(true);
    assertThat(claim.held()).isTrue();
    assertThat(reclaimed.succeeded()).isTrue();
  }

  @Test
  void aReleaseDuringARunningClaimRemovesTheVipOnceTheClaimIsDone() {
    claim.hold();
    Future<Void> released = claim.release();
    finishLast(true);
    assertThat(started).containsExactly("up", "down");
    assertThat(released.isComplete()).isFalse();
    finishLast(true);
    assertThat(claim.held()).isFalse();
    assertThat(claim.claimed()).isFalse();
    assertThat(released.succeeded()).isTrue();
  }

  @Test
  void aFailedReleaseCountsAsHeldAndTheNextReleaseTriesAgain() {
    claim.hold();
    finishLast(true);
    Future<Void> first = claim.release();
    finishLast(false);
    assertThat(first.succeeded()).as("no endless retry inside one release").isTrue();
    assertThat(claim.held()).isTrue();
    assertThat(claim.claimed()).as("a release is still due").isTrue();
    claim.release();
    finishLast(true);
    assertThat(started).containsExactly("up", "down", "down");
    assertThat(claim.claimed()).isFalse();
  }

  @Test
  void repeatedClaimsWhileHeldRunNothing() {
    claim.hold();
    finishLast(true);
    for (int i = 0; i < 5; i++) {
      assertThat(claim.hold().succeeded()).isTrue();
    }
    assertThat(started).containsExactly("up");
  }
}
