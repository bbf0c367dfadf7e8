package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipViewTest {

  private static final String OURS = "dspot|a:1,b:1,c:1|3";

  @Test
  void twoOfThreeIsAMajorityAndUp() {
    MembershipView view = MembershipView.of("node-1", 3, 2, Set.of("v1", "v2"), Map.of("v1", "node-1", "v2", "node-2"), Map.of(),
        List.of(api("node-1", "v1"), internal("node-1", "v1"), internal("node-2", "v2")));

    assertThat(view.majority()).isTrue();
    assertThat(view.status()).isEqualTo("UP");
    assertThat(view.reason()).isNull();
    assertThat(view.members()).containsExactly(
        new MembershipView.Member("node-1", "v1", "h:8080", "h:9090"),
        new MembershipView.Member("node-2", "v2", null, "h:9090"));
  }

  @Test
  void oneOfThreeSaysWhyWritesAreRefused() {
    MembershipView view = MembershipView.of("node-1", 3, 2, Set.of("v1"), Map.of("v1", "node-1"), Map.of(), List.of(internal("node-1", "v1")));

    assertThat(view.majority()).isFalse();
    assertThat(view.status()).isEqualTo("DEGRADED");
    assertThat(view.reason()).isEqualTo("sees 1 of 3 configured members: no majority (needs 2), writes refused");
  }

  @Test
  void recordsOfMembersThatAreGoneAreNotMembers() {
    MembershipView view = MembershipView.of("node-1", 1, 1, Set.of("v1"), Map.of("v1", "node-1"), Map.of(),
        List.of(internal("node-1", "v1"), internal("node-9", "v9")));

    assertThat(view.members()).extracting(MembershipView.Member::nodeId).containsExactly("node-1");
    assertThat(view.mismatches()).isEmpty();
  }

  @Test
  void memberConfiguredDifferentlyIsAMismatchAndNotCounted() {
    String theirs = "dspot|a:1,b:1,c:1,d:1|4";
    MembershipView.Mismatch node4 = new MembershipView.Mismatch("node-4", "v4", theirs, OURS);
    MembershipView view = MembershipView.of("node-1", 3, 2, Set.of("v1", "v4"), Map.of("v1", "node-1"), Map.of("v4", node4),
        List.of(internal("node-1", "v1"), api("node-4", "v4"), internal("node-4", "v4")));

    assertThat(view.mismatches()).containsExactly(node4);
    assertThat(view.members()).extracting(MembershipView.Member::nodeId).containsExactly("node-1");
    assertThat(view.majority()).isFalse();
    assertThat(view.status()).isEqualTo("DEGRADED");
    assertThat(view.reason()).isEqualTo("sees 1 of 3 configured members: no majority (needs 2), writes refused; "
        + "member list differs from node-4's (ours " + OURS + ", theirs " + theirs + ")");
    assertThat(view.toJson().getJsonArray("mismatches").getJsonObject(0).getString("theirs")).isEqualTo(theirs);
  }

  @Test
  void liveMemberNotLookedUpYetIsListedByItsClusterIdButNotCounted() {
    MembershipView view = MembershipView.of("node-1", 3, 2, Set.of("v1", "v2"), Map.of("v1", "node-1"), Map.of(),
        List.of(internal("node-1", "v1"), internal("node-2", "v2")));

    assertThat(view.members()).hasSize(2).last().isEqualTo(new MembershipView.Member(null, "v2", null, null));
    assertThat(view.counted()).isEqualTo(1);
  }

  private static Endpoint api(String nodeId, String vertxId) {
    return new Endpoint(nodeId, vertxId, Endpoint.Kind.API, "h", 8080, "r-api-" + nodeId);
  }

  private static Endpoint internal(String nodeId, String vertxId) {
    return new Endpoint(nodeId, vertxId, Endpoint.Kind.INTERNAL, "h", 9090, "r-int-" + nodeId);
  }
}
