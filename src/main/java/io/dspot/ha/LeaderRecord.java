package io.dspot.ha;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The cluster's one statement of who leads: the leader's node id (null between a resignation and
 * the next claim), the term (raised by every change, so a node that slept through one sees that it
 * lost) and the hand-over history. Stored encoded in a cluster-wide map and only ever replaced by
 * compare-and-set on the exact encoded text, so of two nodes claiming the same term one wins.
 */
record LeaderRecord(String leader, long term, String since, JsonArray failovers) {

  static final int HISTORY = 20;

  static final LeaderRecord NONE = new LeaderRecord(null, 0, null, new JsonArray());

  static LeaderRecord decode(String text) {
    if (text == null) {
      return NONE;
    }
    JsonObject json = new JsonObject(text);
    return new LeaderRecord(json.getString("leader"), json.getLong("term", 0L), json.getString("since"),
        json.getJsonArray("failovers", new JsonArray()));
  }

  String encode() {
    return new JsonObject().put("leader", leader).put("term", term).put("since", since).put("failovers", failovers).encode();
  }

  /** The next term, led by {@code next} (null: nobody, after a resignation), with the change in the history. */
  LeaderRecord handedTo(String next, String reason, Instant now) {
    JsonArray history = failovers.copy();
    history.add(new JsonObject().put("at", now.toString()).put("from", leader).put("to", next).put("reason", reason));
    while (history.size() > HISTORY) {
      history.remove(0);
    }
    return new LeaderRecord(next, term + 1, now.toString(), history);
  }
}
