package io.dspot.ha;

/** Event-bus addresses of the ha module; all local to the node. */
public final class HaAddresses {
  private HaAddresses() {}

  /**
   * Local: {} → {mode, leader, vipHolder, vip, since, term, failovers: [{at, from, to, reason}]}
   * (the last {@link Ballot#HISTORY} hand-overs), as this node sees them.
   */
  public static final String STATUS = "ha.status.get";

  /** The internal API path where each node says whom it follows: {leader, term, self, vipHeld, since}. */
  public static final String LEADER_PATH = "/internal/leader";

  /** Internal API: a candidate's {term, candidate} → {granted, term}. */
  public static final String VOTE_PATH = "/internal/leader/vote";
}
