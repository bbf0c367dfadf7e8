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
    State state = parse(ctx);
    if (state == null) {
      ApiReplies.error(ctx, 400, "a keepalived report is {\"state\": \"MASTER\" | \"BACKUP\" | \"FAULT\"}");
      return;
    }
    Report now;
    // Two notify.sh calls may race on different event loops: each change is told once, in order.
    synchronized (this) {
      Report before = last;
      if (before.state() != state) {
        last = new Report(state, Instant.now());
        log.info("keepalived: this node is now {} (was {})", state, before.state() == null ? "unknown" : before.state());
        onChange.accept(last);
      }
      now = last;
    }
    ApiReplies.json(ctx, 200, now.toJson());
  }

  private static State parse(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      Object state = body == null ? null : body.getValue("state");
      return state instanceof String s ? State.valueOf(s) : null;
    } catch (RuntimeException e) {
      // not JSON, or not one of the three states: the caller gets the 400 that says what is expected
      return null;
    }
  }
}
