package io.dspot.log;

import io.vertx.core.json.JsonObject;

/** What a command decided: the event to record (type null: nothing to record) and the caller's answer. */
public record Decision(String type, JsonObject payload, JsonObject result) {

  public static Decision record(String type, JsonObject payload, JsonObject result) {
    return new Decision(type, payload, result);
  }

  /** Nothing changes (e.g. a duplicate upload); no sequence number is used. */
  public static Decision nothing(JsonObject result) {
    return new Decision(null, null, result);
  }

  public boolean recordsEvent() {
    return type != null;
  }
}
