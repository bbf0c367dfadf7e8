package io.dspot.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns results and failures into HTTP answers: JSON, {"error": "..."} on failure. */
public final class ApiReplies {

  private static final Logger log = LoggerFactory.getLogger(ApiReplies.class);

  private ApiReplies() {}

  public static void json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    boolean unread = UnreadBody.refusedBeforeItsBody(ctx);
    if (body == null || status == 204) {
      response.setStatusCode(status == 200 ? 204 : status).end().onComplete(v -> UnreadBody.closeAfterAnswer(ctx, unread));
      return;
    }
    // Encoded straight to UTF-8 bytes: as a String first, a page of 50 songs with accented titles
    // was a UTF-16 string, then a copy in UTF-8, then the bytes: a third of a search's allocation
    // (async-profiler, bench/search.md round 6), and a young collection every ~14 searches.
    Buffer bytes = body instanceof JsonObject o ? o.toBuffer() : io.vertx.core.json.Json.encodeToBuffer(body);
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
      // A HEAD answer has no body (HTTP/2 would otherwise send it as data).
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length())).end();
      return;
    }
    response.end(bytes).onComplete(v -> UnreadBody.closeAfterAnswer(ctx, unread));
  }

  public static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  /** Maps a failed bus call (or anything else) to a status; never leaks a stack trace. */
  public static void failure(RoutingContext ctx, Throwable cause) {
    if (cause instanceof io.dspot.bus.ServiceException se) {
      error(ctx, se.status, se.getMessage());
      return;
    }
    if (cause instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 600) {
        error(ctx, re.failureCode(), re.getMessage());
        return;
      }
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        error(ctx, 504, "the node took too long to answer");
        return;
      }
      error(ctx, 503, "service unavailable on this node");
      return;
    }
    log.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
    error(ctx, 500, "internal error");
  }

  /** The router's failure handler: thrown exceptions and ctx.fail(status). */
  public static void routerFailure(RoutingContext ctx) {
    if (ctx.failure() != null) {
      if (ctx.failure() instanceof io.dspot.bus.ServiceException se) {
        error(ctx, se.status, se.getMessage());
      } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        error(ctx, ctx.statusCode(), describe(ctx.statusCode()));
      } else {
        failure(ctx, ctx.failure());
      }
      return;
    }
    error(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, describe(ctx.statusCode()));
  }

  private static String describe(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "not logged in";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      case 415 -> "unsupported media type";
      default -> "internal error";
    };
  }
}
