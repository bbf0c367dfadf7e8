package io.dspot.bus;

import io.vertx.core.json.JsonObject;

/** limit/offset of list requests, already validated by the web layer; clamped here as well. */
public final class Paging {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Paging() {}

  public static int limit(JsonObject body) {
    return Math.max(1, Math.min(MAX_LIMIT, body.getInteger("limit", DEFAULT_LIMIT)));
  }

  public static int offset(JsonObject body) {
    return Math.max(0, body.getInteger("offset", 0));
  }
}
