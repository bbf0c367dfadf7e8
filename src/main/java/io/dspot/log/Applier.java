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

  /**
   * True when {@link #apply} sends every statement it runs before it returns (none waits for an
   * earlier one's answer). A batch then goes on to its next command or event without waiting for
   * this one's answer: the connection pipelines and PostgreSQL runs a connection's statements in
   * the order sent, so what comes next still reads this event's writes; the batch waits for every
   * answer before it records its events and commits, and a failure aborts the transaction, after
   * which the batch runs again one step at a time, waiting for each (the careful path).
   */
  default boolean pipelined() {
    return false;
  }

  /** Marks an applier whose statements all go out before it returns (see {@link #pipelined}). */
  static Applier pipelined(Applier applier) {
    return new Applier() {
      @Override
      public Future<Void> apply(SqlConnection tx, JsonObject payload) {
        return applier.apply(tx, payload);
      }

      @Override
      public boolean pipelined() {
        return true;
      }
    };
  }
}
