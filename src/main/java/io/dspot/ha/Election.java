package io.dspot.ha;

import java.util.Set;

/**
 * The election rule, without Vert.x: what this node does at one poll, from what it knows then.
 * A node acts only while it reaches a majority of the configured cluster (itself plus the peers
 * that answered {@code /internal/leader} lately), so two sides of a split can never both act, and
 * the side without a majority releases the VIP at once. Who leads is decided by votes
 * ({@link Ballot}); this only says when to hold, release, step down or stand as a candidate.
 */
final class Election {

  enum Step {
    /** Not leader, nothing to do. */
    WAIT,
    /** Lead: make sure the VIP is up. */
    HOLD,
    /** Drop the VIP (lost the leadership or the majority). */
    RELEASE,
    /** Leader but unhealthy, or the preferred node is back: step down and drop the VIP. */
    RESIGN,
    /** Nobody alive leads: ask the others for their votes. */
    CAMPAIGN
  }

  /**
   * What this node sees at one poll.
   *
   * @param leading this node won the current term and has not stepped down
   * @param leaderAlive the leader this node follows answered lately and still says it leads
   * @param eligible the reachable nodes that said they could lead (healthy, majority), self included if so
   * @param leaderSilentMillis how long the leader has not been alive (since start when there was none)
   */
  record Situation(String self, boolean leading, boolean holding, boolean healthy, boolean majority, boolean leaderAlive,
      Set<String> eligible, long leaderSilentMillis, long leaderTimeoutMillis, String preferLeader) {}

  private Election() {}

  static Step decide(Situation s) {
    if (!s.majority()) {
      return s.leading() || s.holding() ? Step.RELEASE : Step.WAIT;
    }
    if (s.leading()) {
      String prefer = s.preferLeader();
      boolean preferredIsBack = prefer != null && !prefer.equals(s.self()) && s.eligible().contains(prefer);
      return !s.healthy() || preferredIsBack ? Step.RESIGN : Step.HOLD;
    }
    if (s.holding()) {
      return Step.RELEASE;
    }
    if (!s.healthy() || s.leaderAlive()) {
      return Step.WAIT;
    }
    return firstInLine(s) ? Step.CAMPAIGN : Step.WAIT;
  }

  /**
   * One candidate at a time keeps split votes rare: the preferred node if it can lead, otherwise
   * the lowest eligible node id. Should that one not win within another timeout (it may be
   * failing in a way nobody sees yet), every eligible node stands.
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
