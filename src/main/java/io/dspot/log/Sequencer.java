package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How modules write: the command waits for the ring token, commits with the next global sequence
 * number, and the future completes (on the caller's context) once a majority of the configured
 * cluster holds the event. Fails with 503 while this node cannot see a majority.
 */
public interface Sequencer {
  Future<JsonObject> submit(OrderedCommand command);
}
