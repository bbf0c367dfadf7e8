package io.dspot.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a module's operations to its event-bus addresses: JSON in, JSON (or nothing) out, a
 * {@link ServiceException} becomes {@code message.fail(status, text)}; anything else is logged and
 * answered as 500 without leaking internals.
 */
public final class BusService {

  private static final Logger log = LoggerFactory.getLogger(BusService.class);

  private final Vertx vertx;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private boolean freshReplies;

  public BusService(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Every operation's JsonObject result is a new object that nothing else holds: it is handed to
   * the (local) receiver as is instead of copied ({@link HandedOverJson}). Not for a module that
   * answers from a cache, nor with an object it also keeps (an ordered event's payload).
   */
  public BusService freshReplies() {
    HandedOverJson.register(vertx);
    freshReplies = true;
    return this;
  }

  public BusService on(String address, Function<JsonObject, Future<?>> operation) {
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(address, message -> {
      Future<?> result;
      try {
        result = operation.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          Object reply = done.result();
          if (freshReplies && reply instanceof JsonObject) {
            message.reply(reply, HandedOverJson.OPTIONS);
          } else {
            message.reply(reply);
          }
        } else {
          Throwable cause = done.cause();
          if (cause instanceof ServiceException se) {
            message.fail(se.status, se.getMessage());
          } else if (cause instanceof ReplyException re && re.failureCode() >= 400) {
            message.fail(re.failureCode(), re.getMessage());
          } else {
            log.error("{} failed", address, cause);
            message.fail(500, "internal error");
          }
        }
      });
    }));
    return this;
  }

  public Future<Void> ready() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> close() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
