package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private static final List<String> THREE = List.of("node-1", "node-2", "node-3");
  private static final List<String> FOUR = List.of("node-1", "node-2", "node-3", "node-4");
  private static final List<String> BLOBS = blobs(3_000);

  @Test
  void sameBlobAndMembersGiveTheSameHoldersWhateverTheMemberOrder() {
    for (String sha : BLOBS.subList(0, 100)) {
      List<String> reversed = new ArrayList<>(THREE);
      java.util.Collections.reverse(reversed);
      assertThat(Placement.holdersFor(sha, reversed, 2)).isEqualTo(Placement.holdersFor(sha, THREE, 2)).hasSize(2);
    }
  }

  @Test
  void factorIsCappedAtTheNumberOfMembers() {
    assertThat(Placement.holdersFor(BLOBS.get(0), List.of("node-1", "node-2"), 3)).containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(Placement.holdersFor(BLOBS.get(0), List.of(), 3)).isEmpty();
  }

  @Test
  void factorAllPlacesOnEveryMember() {
    assertThat(Placement.holdersFor(BLOBS.get(1), FOUR, 0)).containsExactlyInAnyOrderElementsOf(FOUR);
  }

  @Test
  void blobsSpreadRoughlyEvenlyOverTheMembers() {
    Map<String, Integer> held = new HashMap<>();
    for (String sha : BLOBS) {
      for (String holder : Placement.holdersFor(sha, FOUR, 2)) {
        held.merge(holder, 1, Integer::sum);
      }
    }
    // 3000 blobs x 2 copies over 4 members: 1500 each expected.
    assertThat(held.values()).allSatisfy(n -> assertThat(n).isBetween(1_350, 1_650));
  }

  @Test
  void aFourthMemberTakesAboutAQuarterOfThePlacementsAndNothingElseMoves() {
    int moved = 0;
    for (String sha : BLOBS) {
      Set<String> before = Set.copyOf(Placement.holdersFor(sha, THREE, 2));
      Set<String> after = Set.copyOf(Placement.holdersFor(sha, FOUR, 2));
      if (!before.equals(after)) {
        moved++;
        // Only the newcomer takes a copy: no copy moves between the old members.
        assertThat(after).contains("node-4");
        assertThat(before).containsAll(after.stream().filter(n -> !n.equals("node-4")).toList());
      }
    }
    // A blob moves when node-4 is in its top 2 of 4: half of them; each moves one copy of two,
    // so a quarter of the 6000 placements (1500 copies) move.
    assertThat(moved).isBetween(1_350, 1_650);
  }

  @Test
  void removingAMemberMovesOnlyTheBlobsItHeld() {
    for (String sha : BLOBS) {
      List<String> before = Placement.holdersFor(sha, FOUR, 2);
      List<String> after = Placement.holdersFor(sha, THREE, 2);
      if (!before.contains("node-4")) {
        assertThat(after).as(sha).isEqualTo(before);
      } else {
        assertThat(after).containsAll(before.stream().filter(n -> !n.equals("node-4")).toList());
      }
    }
  }

  @Test
  void aScoreIsTheFirst63BitsOfTheSha256OfBlobNewlineMemberWhateverTheMemberAndTheThread() throws Exception {
    // Every node must compute the same placement: the digest reused per thread gives what a fresh one gives.
    List<String> members = List.of("node-1", "nöde-二", "x".repeat(300), "");
    Thread other = new Thread(() -> Placement.score(BLOBS.get(0), "node-9"));
    other.start();
    for (String sha : BLOBS.subList(0, 50)) {
      for (String member : members) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest((sha + "\n" + member).getBytes(StandardCharsets.UTF_8));
        long expected = 0;
        for (int i = 0; i < 8; i++) {
          expected = (expected << 8) | (digest[i] & 0xff);
        }
        assertThat(Placement.score(sha, member)).as(sha + " / " + member).isEqualTo(expected >>> 1);
      }
    }
    other.join();
  }

  private static List<String> blobs(int n) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(HexFormat.of().formatHex(digest.digest(("song " + i).getBytes(StandardCharsets.UTF_8))));
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
