package io.dspot.ha;

import io.dspot.http.ApiReplies;
import io.dspot.http.InternalRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived mode: keepalived, not the node, moves the VIP, and tells the node what it did through
 * {@code ha/keepalived/notify.sh STATE}, which posts {@code {"state":"MASTER|BACKUP|FAULT"}} here
 * over the internal API (mutual TLS, so only a holder of a member certificate, i.e. the node's own
 * host, can claim a state). The node keeps the last state and hands each change to its listener
 * (the ha status: {@link KeepalivedFollower}); it never moves the VIP itself.
 */
public final class KeepalivedHook implements InternalRoutes {

  /** The internal API path notify.sh posts to. */
  public static final String PATH = "/internal/ha/keepalived";

  /** keepalived's VRRP states that its notify hooks report. */
  public enum State { MASTER, BACKUP, FAULT }

  /** What keepalived said last, and when; {@code state} null before it said anything. */
  public record Report(State state, Instant since) {
    public boolean vipHeld() {
      return state == State.MASTER;
    }

    public JsonObject toJson() {
      return new JsonObject().put("state", state == null ? null : state.name()).put("vipHeld", vipHeld())
          .put("since", since == null ? null : since.toString());
    }
  }

  private static final Logger log = LoggerFactory.getLogger(KeepalivedHook.class);
  private static final int BODY_LIMIT = 1_024;

  private final java.util.function.Consumer<Report> onChange;
  private volatile Report last = new Report(null, null);
  /** The "at" of the latest report taken; null before one carried it. */
  private Instant lastAt;

  /** @param onChange told each new state (on an internal API event loop: it must not block) */
  public KeepalivedHook(java.util.function.Consumer<Report> onChange) {
    this.onChange = onChange;
  }

  public Report last() {
    return last;
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::report);
  }

  private void report(RoutingContext ctx) {
    Claim claim = parse(ctx);
    if (claim == null) {
      ApiReplies.error(ctx, 400, "a keepalived report is {\"state\": \"MASTER\" | \"BACKUP\" | \"FAULT\"}, optionally with "
          + "\"at\": <epoch milliseconds when keepalived changed state>");
      return;
    }
    ApiReplies.json(ctx, 200, take(claim.state(), claim.at()).toJson());
  }

  /**
   * Takes a report of {@code state}, entered at {@code at} (null: unknown, now); the state after it.
   * Two notify.sh calls may race on different event loops (and retry): each change is told once,
   * and a report older than the last one taken (a late retry) changes nothing.
   */
  synchronized Report take(State state, Instant at) {
    Report before = last;
    if (at != null && lastAt != null && at.isBefore(lastAt)) {
      log.info("keepalived: ignored a late report of {} from {} (the last was from {})", state, at, lastAt);
      return before;
    }
    lastAt = at != null ? at : lastAt;
    if (before.state() != state) {
      last = new Report(state, at != null ? at : Instant.now());
      log.info("keepalived: this node is now {} (was {})", state, before.state() == null ? "unknown" : before.state());
      onChange.accept(last);
    }
    return last;
  }

  /** A report as posted: the state, and when keepalived entered it if the sender says so. */
  private record Claim(State state, Instant at) {}

  private static Claim parse(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      Object state = body == null ? null : body.getValue("state");
      Object at = body == null ? null : body.getValue("at");
      if (!(state instanceof String s) || at != null && !(at instanceof Number n && n.longValue() > 0)) {
        return null;
      }
      return new Claim(State.valueOf(s), at == null ? null : Instant.ofEpochMilli(((Number) at).longValue()));
    } catch (RuntimeException e) {
      // not JSON, or not one of the three states: the caller gets the 400 that says what is expected
      return null;
    }
  }
}
