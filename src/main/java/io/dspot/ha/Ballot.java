package io.dspot.ha;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * This node's part of the election, Raft's way without a log: the highest term it has seen, whom
 * it voted for in that term (at most one candidate per term), whom it follows, since when, and the
 * hand-over history. A candidate leads term T only with the votes of a majority of the configured
 * cluster, so two leaders of one term are impossible; a node that slept through a term sees the
 * higher term in its peers' answers and steps down. Thread-safe: the internal API's event loops
 * vote while the ha verticle's context polls.
 */
final class Ballot {

  static final int HISTORY = 20;

  private final String self;
  private long term;
  private String votedFor;
  /** When this node last gave its vote to another node (System.nanoTime), 0 before it ever did. */
  private long grantedAt;
  private String leader;
  private String since;
  private JsonArray failovers = new JsonArray();
  /** This node is healthy and reaches a majority (the verticle's last poll): what "alive" means when it leads. */
  private boolean canLead;

  Ballot(String self) {
    this.self = self;
  }

  synchronized long term() {
    return term;
  }

  synchronized String leader() {
    return leader;
  }

  synchronized boolean leading() {
    return self.equals(leader);
  }

  synchronized void canLead(boolean can) {
    canLead = can;
  }

  /**
   * This node gave its vote to another within {@code stickyMillis}: it does not stand itself, Raft's
   * election timer reset on a vote. The one it voted for may have just won; standing now took the
   * term from it (the netns lab's split in CI: node-3 won term 2 with node-2's vote, node-2 stood for
   * term 3 70 ms later, and the VIP moved twice, with both holding it for ~20 ms).
   */
  synchronized boolean votedForAnotherWithin(long nowNanos, long stickyMillis) {
    return votedFor != null && !votedFor.equals(self) && grantedAt != 0 && (nowNanos - grantedAt) / 1_000_000 < stickyMillis;
  }

  /** What {@code GET /internal/leader} says (besides vipHeld and eligible, which the verticle adds). */
  synchronized JsonObject toJson() {
    return new JsonObject().put("leader", leader).put("term", term).put("self", self).put("votedFor", votedFor).put("since", since)
        .put("failovers", failovers.copy());
  }

  /**
   * A peer's answer that names a leader tells who won its term (only a won term names one): a
   * higher term than ours wins, and so does any while we follow nobody (our own campaign failed;
   * the leader the others kept is ours too). Leaderless terms of failed campaigns never spread,
   * so they cannot unseat a working leader; a leader that hears of a later term steps down.
   *
   * <p>Except one leaderless answer: a peer that gave its vote in a later term to another node. It
   * only votes once it stops hearing a leader, and the candidate it voted for may already lead with
   * that vote (the peer names it once it hears so, a poll later). A leader cut off from the others
   * that reached its peers again before that poll counted them as its majority and raised the VIP
   * beside the new leader's (the netns lab's cut, once in CI); it steps down to that term instead.
   */
  synchronized void adopt(JsonObject answer) {
    String theirLeader = answer.getString("leader");
    long theirs = answer.getLong("term", 0L);
    String theirVote = answer.getString("votedFor");
    if (theirLeader == null && theirs > term && theirVote != null && !theirVote.equals(answer.getString("self"))
        && !theirVote.equals(self)) {
      observe(theirs);
      return;
    }
    // Only winning makes this node leader: followers still naming it after it stepped down do not.
    if (theirLeader == null || theirLeader.equals(self) || (theirs <= term && leader != null)) {
      return;
    }
    if (theirs > term) {
      votedFor = null;
    }
    term = Math.max(term, theirs);
    leader = theirLeader;
    since = answer.getString("since");
    failovers = answer.getJsonArray("failovers", new JsonArray()).copy();
  }

  /**
   * A candidate asks for this node's vote in {@code candidateTerm}. Granted once per term, and
   * never while this node still hears a leader it follows: a node that merely lost sight of the
   * leader cannot take it from the others, and a restarted old leader cannot take it back. Nor
   * within {@code stickyMillis} of voting for someone else (Raft's rule against disruptive
   * candidates): the one it voted for may have just won, and this node has not heard so yet.
   * When this node is the leader, "alive" is whether it can lead as it is now, not what the caller
   * saw before: it may have won its own campaign while the request waited.
   */
  synchronized boolean grant(long candidateTerm, String candidate, boolean leaderAlive, long nowNanos, long stickyMillis) {
    if (candidateTerm < term || (candidateTerm == term && votedFor != null && !votedFor.equals(candidate))) {
      return false;
    }
    boolean alive = self.equals(leader) ? canLead : leaderAlive;
    if (alive && leader != null && !leader.equals(candidate)) {
      return false;
    }
    if (candidateTerm > term && !candidate.equals(votedFor) && votedForAnotherWithin(nowNanos, stickyMillis)) {
      return false;
    }
    if (candidateTerm > term) {
      term = candidateTerm;
      leader = null;
    }
    votedFor = candidate;
    if (!candidate.equals(self)) {
      grantedAt = nowNanos;
    }
    return true;
  }

  /**
   * A later term heard of without a leader (a voter's refusal of this node's campaign): move up
   * to it, Raft's way, having voted for nobody in it and following nobody until an answer names
   * the leader (adopted whatever its term while this node follows nobody). Only candidates hear
   * of terms this way, and a refusal leaves the voter's term as it was, so a working leader is
   * never unseated by it.
   */
  synchronized void observe(long theirs) {
    if (theirs > term) {
      term = theirs;
      votedFor = null;
      leader = null;
    }
  }

  /** Starts a campaign: the next term, with this node's own vote. */
  synchronized long nextTermVotingForSelf() {
    term++;
    votedFor = self;
    leader = null;
    return term;
  }

  /** Won {@code wonTerm} (unless a higher term came meanwhile): this node leads, the history says why. */
  synchronized boolean won(long wonTerm, String from, String reason, Instant now) {
    if (wonTerm != term) {
      return false;
    }
    leader = self;
    since = now.toString();
    failovers.add(new JsonObject().put("at", since).put("from", from).put("to", self).put("reason", reason));
    while (failovers.size() > HISTORY) {
      failovers.remove(0);
    }
    return true;
  }

  /** Leader stepping down (unhealthy, or handing to the preferred node): nobody leads this term any more. */
  synchronized void resign() {
    if (self.equals(leader)) {
      leader = null;
    }
  }
}
