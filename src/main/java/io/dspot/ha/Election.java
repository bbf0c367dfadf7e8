package io.dspot.ha;

import java.util.Set;

/**
 * The election rule, without Vert.x: what this node does at one poll, from what it knows then.
 * A node acts only while it reaches a majority of the configured cluster (itself plus the peers
 * that answered {@code /internal/leader} lately), so two sides of a split can never both act, and
 * the side without a majority releases the VIP at once. The leader is whoever the cluster-wide
 * {@link LeaderRecord} names; it changes only by compare-and-set, so of several claimants one wins.
 */
final class Election {

  enum Step {
    /** Not leader, nothing to do. */
    WAIT,
    /** Lead: make sure the VIP is up. */
    HOLD,
    /** Drop the VIP (lost the record, the majority or the term). */
    RELEASE,
    /** Leader but unhealthy: name nobody in the record and drop the VIP. */
    RESIGN,
    /** Leader, and the preferred node is back: name it and drop the VIP. */
    HAND_TO_PREFERRED,
    /** The leader is gone: try to take the record. */
    CLAIM
  }

  /**
   * What this node sees at one poll.
   *
   * @param reachable members (self included) that are live in the cluster and answered lately
   * @param eligible the reachable ones that said they could lead (healthy, majority), self included if so
   * @param leaderSilentMillis how long the recorded leader has been out of {@code reachable}
   */
  record Situation(String self, LeaderRecord record, boolean holding, boolean healthy, boolean majority,
      Set<String> reachable, Set<String> eligible, long leaderSilentMillis, long leaderTimeoutMillis, String preferLeader) {}

  private Election() {}

  static Step decide(Situation s) {
    boolean leading = s.self().equals(s.record().leader());
    if (!s.majority()) {
      return s.holding() ? Step.RELEASE : Step.WAIT;
    }
    if (leading) {
      if (!s.healthy()) {
        return Step.RESIGN;
      }
      String prefer = s.preferLeader();
      if (prefer != null && !prefer.equals(s.self()) && s.eligible().contains(prefer)) {
        return Step.HAND_TO_PREFERRED;
      }
      return Step.HOLD;
    }
    if (s.holding()) {
      return Step.RELEASE;
    }
    String leader = s.record().leader();
    if (!s.healthy() || (leader != null && s.reachable().contains(leader))) {
      return Step.WAIT;
    }
    return firstInLine(s) ? Step.CLAIM : Step.WAIT;
  }

  /**
   * One claimant at a time keeps compare-and-set races rare: the preferred node if it can lead,
   * otherwise the lowest eligible node id. Should that one not manage within another timeout
   * (it may be failing in a way nobody sees yet), every eligible node tries.
   */
  private static boolean firstInLine(Situation s) {
    if (!s.eligible().contains(s.self())) {
      return false;
    }
    if (s.leaderSilentMillis() > 2 * s.leaderTimeoutMillis()) {
      return true;
    }
    String prefer = s.preferLeader();
    if (prefer != null && s.eligible().contains(prefer)) {
      return prefer.equals(s.self());
    }
    return s.eligible().stream().sorted().findFirst().map(s.self()::equals).orElse(false);
  }
}
