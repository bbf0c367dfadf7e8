package io.dspot.replication;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
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
    return SCORER.get().score(sha256, member);
  }

  /**
   * A pass scores every blob against every member: a new {@code MessageDigest} and two strings per
   * score had been 28 MB of a pass's 250 MB at 110,000 blobs. Each thread reuses one digest and one
   * buffer; a node id that is not ASCII takes the plain way.
   */
  private static final ThreadLocal<Scorer> SCORER = ThreadLocal.withInitial(Scorer::new);

  private static final class Scorer {
    private final MessageDigest digest = Hashes.sha256();
    private byte[] input = new byte[128];
    private final byte[] output = new byte[32];

    long score(String sha256, String member) {
      int length = sha256.length() + 1 + member.length();
      if (input.length < length) {
        input = new byte[length];
      }
      int n = putAscii(sha256, 0);
      if (n >= 0) {
        input[n++] = '\n';
        n = putAscii(member, n);
      }
      byte[] hashed;
      if (n < 0) {
        hashed = digest.digest((sha256 + "\n" + member).getBytes(StandardCharsets.UTF_8));
      } else {
        digest.update(input, 0, n);
        try {
          digest.digest(output, 0, output.length);
        } catch (DigestException e) {
          throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
        hashed = output;
      }
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (hashed[i] & 0xff);
      }
      return value >>> 1;
    }

    /** Writes {@code s} at {@code at} if it is all ASCII (its UTF-8 then); answers the end, or -1. */
    private int putAscii(String s, int at) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          return -1;
        }
        input[at++] = (byte) c;
      }
      return at;
    }
  }

  private record Scored(String member, long score) {}
}
