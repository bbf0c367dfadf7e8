package io.dspot.subsonic;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** One authenticated Subsonic request: its parameters (query or form), its caller, and bus calls that fail as Subsonic errors. */
final class Call {

  private static final String CATALOG = "catalog.";
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(15_000);

  final RoutingContext ctx;
  final MultiMap params;
  /** {id, username, role}. */
  final JsonObject user;

  Call(RoutingContext ctx, MultiMap params, JsonObject user) {
    this.ctx = ctx;
    this.params = params;
    this.user = user;
  }

  String required(String name) {
    String value = params.get(name);
    if (value == null) {
      throw SubsonicError.missing(name);
    }
    return value;
  }

  String optional(String name) {
    return params.get(name);
  }

  List<String> all(String name) {
    return params.getAll(name);
  }

  /** An integer parameter in [min, max], {@code fallback} when absent; anything else is error 0 naming the range. */
  int integer(String name, int fallback, int min, int max) {
    String raw = params.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new SubsonicError(SubsonicError.GENERIC, name + " must be a whole number from " + min + " to " + max);
  }

  boolean admin() {
    return "admin".equals(user.getString("role"));
  }

  String userId() {
    return user.getString("id");
  }

  String username() {
    return user.getString("username");
  }

  /**
   * A module's answer; its refusal becomes the matching Subsonic error ({@link SubsonicError#fromStatus}).
   * Catalog calls carry the caller, so songs, albums and artists come with the caller's own marks
   * (starred, rating, plays) and personal lists are theirs.
   */
  Future<JsonObject> bus(String address, JsonObject body) {
    if (address.startsWith(CATALOG) && !body.containsKey("callerId") && userId() != null) {
      body.put("callerId", userId());
    }
    return ctx.vertx().eventBus().<JsonObject>request(address, body, TIMEOUT)
        .map(reply -> reply.body())
        .recover(e -> Future.failedFuture(asSubsonic(e)));
  }

  static Throwable asSubsonic(Throwable e) {
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return SubsonicError.fromStatus(re.failureCode(), re.getMessage());
    }
    if (e instanceof io.dspot.bus.ServiceException se) {
      return SubsonicError.fromStatus(se.status, se.getMessage());
    }
    return e;
  }
}
