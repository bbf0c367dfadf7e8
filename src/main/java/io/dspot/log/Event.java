package io.dspot.log;

import io.vertx.core.json.JsonObject;

/**
 * One entry of the cluster's event log: a catalog change with its global sequence number and the
 * ring epoch (counter + owner) under which it was committed.
 */
record Event(long seq, long epoch, String epochOwner, String type, JsonObject payload, String origin) {

  JsonObject toJson() {
    return new JsonObject()
        .put("seq", seq)
        .put("epoch", epoch)
        .put("epochOwner", epochOwner)
        .put("type", type)
        .put("payload", payload)
        .put("origin", origin);
  }

  /** Throws IllegalArgumentException for anything that is not a well-formed event. */
  static Event fromJson(Object raw) {
    if (!(raw instanceof JsonObject json)) {
      throw new IllegalArgumentException("event is not a JSON object");
    }
    Object seq = json.getValue("seq");
    Object epoch = json.getValue("epoch");
    if (!(seq instanceof Number s) || s.longValue() < 1 || !(epoch instanceof Number e) || e.longValue() < 0) {
      throw new IllegalArgumentException("event without a valid seq/epoch: " + json.encode());
    }
    String type = json.getValue("type") instanceof String t ? t : null;
    if (type == null || type.isEmpty() || type.length() > 100) {
      throw new IllegalArgumentException("event " + s + " has no valid type");
    }
    Object payload = json.getValue("payload");
    return new Event(s.longValue(), e.longValue(), json.getString("epochOwner", ""), type,
        payload instanceof JsonObject p ? p : null, json.getString("origin", ""));
  }
}
