package io.dspot.ha;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * keepalived mode, without Vert.x: the leader is whichever node keepalived made MASTER. This node
 * knows its own VRRP state from {@link KeepalivedHook}'s reports and its peers' from their
 * {@code /internal/leader} answers (which carry {@code state}). The hand-over history is kept as in
 * the built-in mode: the node that becomes MASTER records the hand-over from the MASTER it heard of
 * before, and the others copy the MASTER's history from its answers, so every node shows the same
 * list. Thread-safe: reports arrive on the internal API's event loops, answers on the ha context.
 */
final class KeepalivedFollower {

  private final String self;
  private KeepalivedHook.Report own = new KeepalivedHook.Report(null, null);
  /** The last MASTER this node heard of (itself included): the "from" of the next hand-over. */
  private String lastMaster;
  private JsonArray failovers = new JsonArray();

  KeepalivedFollower(String self) {
    this.self = self;
  }

  /** keepalived changed this node's state (notify.sh through {@link KeepalivedHook}). */
  synchronized void reported(KeepalivedHook.Report report) {
    boolean becomesMaster = report.vipHeld() && !own.vipHeld();
    own = report;
    if (becomesMaster) {
      Instant at = report.since() == null ? Instant.now() : report.since();
      // from may be this node itself: it lost MASTER (FAULT) and nobody took over meanwhile, as the built-in history says.
      failovers.add(new JsonObject().put("at", at.toString()).put("from", lastMaster).put("to", self)
          .put("reason", "keepalived: MASTER on " + self));
      while (failovers.size() > Ballot.HISTORY) {
        failovers.remove(0);
      }
      lastMaster = self;
    }
  }

  /** A peer's {@code /internal/leader} answer: a peer that is MASTER while this node is not is followed, its history copied. */
  synchronized void heard(String peer, JsonObject answer) {
    if (isMaster(answer) && !own.vipHeld()) {
      lastMaster = peer;
      failovers = answer.getJsonArray("failovers", new JsonArray()).copy();
    }
  }

  /** What {@code GET /internal/leader} says in keepalived mode, given the peers that answered lately. */
  synchronized JsonObject toJson(Map<String, JsonObject> freshAnswers) {
    Leader leader = leader(freshAnswers);
    return new JsonObject().put("mode", "keepalived").put("self", self)
        .put("state", own.state() == null ? null : own.state().name()).put("vipHeld", own.vipHeld())
        .put("stateSince", own.since() == null ? null : own.since().toString())
        .put("leader", leader.id()).put("since", leader.since()).put("term", null).put("eligible", false)
        .put("failovers", failovers.copy());
  }

  /** The ha status ({@link HaAddresses#STATUS}) in keepalived mode: the MASTER leads and holds the VIP. */
  synchronized JsonObject status(Map<String, JsonObject> freshAnswers, String vip) {
    Leader leader = leader(freshAnswers);
    return new JsonObject().put("mode", "keepalived").put("leader", leader.id()).put("vipHolder", leader.id())
        .put("vip", vip).put("since", leader.since()).put("term", null).put("failovers", failovers.copy());
  }

  private record Leader(String id, String since) {}

  /**
   * This node if keepalived made it MASTER; else the peer that says it is MASTER. Two MASTERs
   * only exist for a few adverts (a healed split, before the lower priority yields): the one that
   * became MASTER last is named, since its gratuitous ARP is the one clients follow meanwhile.
   */
  private Leader leader(Map<String, JsonObject> freshAnswers) {
    if (own.vipHeld()) {
      return new Leader(self, own.since() == null ? null : own.since().toString());
    }
    Leader newest = new Leader(null, null);
    for (Map.Entry<String, JsonObject> e : freshAnswers.entrySet()) {
      String since = e.getValue().getString("stateSince");
      if (isMaster(e.getValue()) && (newest.id() == null || later(since, newest.since()))) {
        newest = new Leader(e.getKey(), since);
      }
    }
    return newest;
  }

  private static boolean later(String since, String than) {
    return since != null && (than == null || Instant.parse(since).isAfter(Instant.parse(than)));
  }

  private static boolean isMaster(JsonObject answer) {
    return KeepalivedHook.State.MASTER.name().equals(answer.getString("state"));
  }
}
