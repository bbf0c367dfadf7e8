package io.dspot.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which nodes should hold a blob: rendezvous (highest random weight) hashing. Every member gets a
 * score from a hash of (blob, member); the {@code factor} highest scores hold the blob. Every node
 * computes the same answer from the same member set without asking anyone, and a member that joins
 * or leaves only changes the placements where it is (or was) among the top scores: about
 * factor/members of the blobs, the minimum any placement can move.
 */
public final class Placement {

  private Placement() {}

  /**
   * The members that should hold {@code sha256}, best score first. {@code factor} is capped at the
   * number of members; {@code NodeConfig.Replication.ALL} (0) means every member.
   */
  public static List<String> holdersFor(String sha256, Collection<String> members, int factor) {
    int count = factor <= 0 ? members.size() : Math.min(factor, members.size());
    List<Scored> scored = new ArrayList<>(members.size());
    for (String member : members) {
      scored.add(new Scored(member, score(sha256, member)));
    }
    // Ties (astronomically unlikely) are broken by node id so the order stays total.
    scored.sort(Comparator.comparingLong((Scored s) -> s.score).reversed().thenComparing(s -> s.member));
    List<String> holders = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      holders.add(scored.get(i).member);
    }
    return holders;
  }

  /** The first 63 bits of SHA-256(blob '\n' member): uniform, and the same on every JVM. */
  static long score(String sha256, String member) {
    byte[] digest = Hashes.sha256().digest((sha256 + "\n" + member).getBytes(StandardCharsets.UTF_8));
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return value >>> 1;
  }

  private record Scored(String member, long score) {}
}
