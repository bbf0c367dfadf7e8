package io.dspot.ring;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The one token of the ring: its epoch (counter + the node that created it), the next global
 * sequence number, and per node the last want it served (so a served want is not served twice).
 */
record Token(long epoch, String owner, long nextSeq, Map<String, Long> served) {

  JsonObject toJson() {
    JsonObject s = new JsonObject();
    served.forEach(s::put);
    return new JsonObject().put("epoch", epoch).put("owner", owner).put("nextSeq", nextSeq).put("served", s);
  }

  static Token fromJson(JsonObject json) {
    Map<String, Long> served = new HashMap<>();
    JsonObject s = json.getJsonObject("served", new JsonObject());
    for (String k : s.fieldNames()) {
      served.put(k, s.getLong(k));
    }
    return new Token(json.getLong("epoch"), json.getString("owner"), json.getLong("nextSeq"), served);
  }

  Token withNextSeq(long next) {
    return new Token(epoch, owner, next, served);
  }

  long servedFor(String node) {
    return served.getOrDefault(node, 0L);
  }
}
