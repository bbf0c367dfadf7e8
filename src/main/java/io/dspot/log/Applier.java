package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies one event type to this node's tables inside the caller's transaction. The same code
 * runs on the node that committed the event and on every node that receives it, so all nodes end
 * with identical rows. Must be deterministic: everything it writes comes from the payload.
 */
@FunctionalInterface
public interface Applier {
  Future<Void> apply(SqlConnection tx, JsonObject payload);
}
