package io.dspot.log;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The one token of the ring: its epoch (counter + the node that created it), the sequence number
 * its epoch began at (0: not said, by a node from before it was carried), the next global sequence
 * number, per node the last want it served (so a served want is not served twice), and the node it
 * comes from (which surely has every event before nextSeq).
 */
record Token(long epoch, String owner, long firstSeq, long nextSeq, Map<String, Long> served, String from) {

  JsonObject toJson() {
    JsonObject s = new JsonObject();
    served.forEach(s::put);
    return new JsonObject().put("epoch", epoch).put("owner", owner).put("firstSeq", firstSeq).put("nextSeq", nextSeq).put("served", s).put("from", from);
  }

  static Token fromJson(JsonObject json) {
    Map<String, Long> served = new HashMap<>();
    JsonObject s = json.getJsonObject("served", new JsonObject());
    for (String k : s.fieldNames()) {
      served.put(k, s.getLong(k));
    }
    return new Token(json.getLong("epoch"), json.getString("owner"), json.getLong("firstSeq", 0L), json.getLong("nextSeq"), served,
        json.getString("from"));
  }

  Token withNextSeq(long next) {
    return new Token(epoch, owner, firstSeq, next, served, from);
  }

  /** The same token as sent by {@code sender}: the receiver fetches anything it lacks from there first. */
  Token sentBy(String sender) {
    return new Token(epoch, owner, firstSeq, nextSeq, served, sender);
  }

  long servedFor(String node) {
    return served.getOrDefault(node, 0L);
  }
}
