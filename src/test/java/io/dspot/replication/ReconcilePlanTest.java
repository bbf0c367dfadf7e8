package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilePlanTest {

  private static final String SHA = "a".repeat(64);
  private static final Set<String> ALL = Set.of("node-1", "node-2", "node-3");
  private static final List<String> PLACED = Placement.holdersFor(SHA, ALL, 2);
  private static final String OUTSIDER = ALL.stream().filter(n -> !PLACED.contains(n)).findFirst().orElseThrow();

  @Test
  void aPlacedNodeWithoutTheFileFetchesItFromTheLiveHoldersOnly() {
    String placed = PLACED.get(0);
    ReconcilePlan plan = ReconcilePlan.of(placed, Map.of(SHA, Set.of(OUTSIDER)), Map.of(), ALL, ALL, 2);
    assertThat(plan.fetches()).containsExactly(new ReconcilePlan.Fetch(SHA, List.of(OUTSIDER), false));
    assertThat(plan.underReplicated()).isEqualTo(1);

    ReconcilePlan noSource = ReconcilePlan.of(placed, Map.of(SHA, Set.of(OUTSIDER)), Map.of(), ALL, Set.of(placed), 2);
    assertThat(noSource.fetches()).isEmpty();
  }

  @Test
  void aListedNodeWhoseFileIsGoneFetchesItAgain() {
    String placed = PLACED.get(0);
    ReconcilePlan plan = ReconcilePlan.of(placed, Map.of(SHA, Set.copyOf(PLACED)), Map.of(), ALL, ALL, 2);
    assertThat(plan.fetches()).containsExactly(new ReconcilePlan.Fetch(SHA, List.of(PLACED.get(1)), true));
  }

  @Test
  void aMemberBackWithItsFileAndRowDoesNothing() {
    ReconcilePlan plan = ReconcilePlan.of(PLACED.get(0), Map.of(SHA, Set.copyOf(PLACED)), Map.of(SHA, 10L), ALL, ALL, 2);
    assertThat(plan.fetches()).isEmpty();
    assertThat(plan.records()).isEmpty();
    assertThat(plan.drops()).isEmpty();
    assertThat(plan.blobs()).isEqualTo(1);
    assertThat(plan.bytes()).isEqualTo(10);
    assertThat(plan.underReplicated()).isZero();
  }

  @Test
  void aPlacedFileTheIndexDoesNotListIsRecorded() {
    ReconcilePlan plan = ReconcilePlan.of(PLACED.get(0), Map.of(SHA, Set.of(OUTSIDER)), Map.of(SHA, 10L), ALL, ALL, 2);
    assertThat(plan.records()).containsExactly(SHA);
  }

  @Test
  void aCopyOutsideThePlacementIsDroppedOnlyOnceEveryPlacedNodeIsLiveAndListed() {
    Map<String, Long> here = Map.of(SHA, 10L);
    ReconcilePlan early = ReconcilePlan.of(OUTSIDER, Map.of(SHA, Set.of(OUTSIDER, PLACED.get(0))), here, ALL, ALL, 2);
    assertThat(early.drops()).isEmpty();

    Set<String> everyone = Set.of(OUTSIDER, PLACED.get(0), PLACED.get(1));
    ReconcilePlan done = ReconcilePlan.of(OUTSIDER, Map.of(SHA, everyone), here, ALL, ALL, 2);
    assertThat(done.drops()).containsExactly(new ReconcilePlan.Drop(SHA, PLACED, true));

    // A placed holder within its grace period is not live: the extra copy stays until it is back.
    Set<String> live = Set.of(OUTSIDER, PLACED.get(0));
    assertThat(ReconcilePlan.of(OUTSIDER, Map.of(SHA, everyone), here, ALL, live, 2).drops()).isEmpty();
  }

  @Test
  void withFewerLiveMembersThanTheFactorEveryMemberHoldsEverything() {
    Set<String> two = Set.of("node-1", "node-2");
    ReconcilePlan plan = ReconcilePlan.of("node-2", Map.of(SHA, Set.of("node-1")), Map.of(), two, two, 3);
    assertThat(plan.fetches()).extracting(ReconcilePlan.Fetch::sha256).containsExactly(SHA);
  }
}
