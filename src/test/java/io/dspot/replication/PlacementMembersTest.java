package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementMembersTest {

  @Test
  void aNodeThatLeftStaysAPlacementMemberForTheGracePeriodOnly() {
    PlacementMembers members = new PlacementMembers(2_000);
    members.observe(Set.of("a", "b", "c"), 0);
    members.observe(Set.of("a", "b"), 1_000);
    assertThat(members.members(2_999)).containsExactly("a", "b", "c");
    assertThat(members.live()).containsExactlyInAnyOrder("a", "b");
    assertThat(members.members(3_000)).containsExactly("a", "b");
  }

  @Test
  void aNodeBackWithinItsGraceIsSimplyLiveAgain() {
    PlacementMembers members = new PlacementMembers(2_000);
    members.observe(Set.of("a", "b"), 0);
    members.observe(Set.of("a"), 100);
    members.observe(Set.of("a", "b"), 500);
    members.observe(Set.of("a", "b"), 10_000);
    assertThat(members.members(10_000)).containsExactly("a", "b");
  }
}
