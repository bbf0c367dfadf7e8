package io.dspot.http;

import io.dspot.bus.Paging;
import io.dspot.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads and validates what clients send: paging, path ids, JSON bodies. */
public final class RequestParams {
  private RequestParams() {}

  public static JsonObject paged(RoutingContext ctx) {
    return new JsonObject()
        .put("limit", intParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT))
        .put("offset", intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
  }

  public static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    return (int) longParam(ctx, name, (long) fallback, min, max);
  }

  /**
   * The one query-parameter parser: absent or empty gives {@code fallback}, or 400 when the
   * parameter is required ({@code fallback} null); not a whole number or out of range is 400.
   */
  public static long longParam(RoutingContext ctx, String name, Long fallback, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      if (fallback == null) {
        throw ServiceException.badRequest("query parameter '" + name + "' is required");
      }
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw ServiceException.badRequest("query parameter '" + name + "' must be an integer, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw ServiceException.badRequest("query parameter '" + name + "' must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static JsonObject withId(RoutingContext ctx) {
    return new JsonObject().put("id", ctx.pathParam("id"));
  }

  /** The JSON object body, or 400. */
  public static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ServiceException.badRequest("a JSON object body is required");
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw ServiceException.badRequest("the body is not a JSON object");
    }
  }

  /**
   * PostgreSQL text cannot hold NUL, and no name, title or query needs one: refuse it up front as
   * 400 instead of letting the database fail the request later.
   */
  public static void rejectNulCharacters(RoutingContext ctx) {
    // Without a query string there are no parameters: not decoding an empty map saves every
    // stream range its allocations (bench/ranges.md, round 7).
    if (ctx.request().query() != null) {
      for (var entry : ctx.queryParams()) {
        if (entry.getValue().indexOf('\u0000') >= 0 || entry.getKey().indexOf('\u0000') >= 0) {
          ApiReplies.error(ctx, 400, "parameter '" + entry.getKey().replace("\u0000", "") + "' contains a NUL character");
          return;
        }
      }
    }
    var body = ctx.body() == null ? null : ctx.body().buffer();
    if (body != null && body.length() > 0) {
      String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
      if (text.indexOf('\u0000') >= 0 || text.toLowerCase(java.util.Locale.ROOT).contains("\\u0000")) {
        ApiReplies.error(ctx, 400, "the body contains a NUL character");
        return;
      }
    }
    ctx.next();
  }
}
