package io.dspot.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Appends a catalog event to the outbox inside the caller's transaction, so the change and its
 * event commit together or not at all. On a single node the sequence number is the next local
 * one; in the cluster the ring token hands it out.
 */
public final class OutboxWriter {

  static final String APPEND =
      "INSERT INTO outbox (seq, event_type, payload, origin_node) "
          + "SELECT coalesce(max(seq), 0) + 1, $1, $2, $3 FROM outbox RETURNING seq";
  static final String MARK_APPLIED = "UPDATE applied_state SET last_seq = $1 WHERE id = 1";
  /** Serialises writers on one node so two transactions never pick the same next number. */
  static final String LOCK = "SELECT pg_advisory_xact_lock(4242)";

  private final String nodeId;

  public OutboxWriter(String nodeId) {
    this.nodeId = nodeId;
  }

  public Future<Long> append(SqlConnection tx, String eventType, JsonObject payload) {
    return tx.query(LOCK).execute()
        .compose(v -> tx.preparedQuery(APPEND).execute(Tuple.of(eventType, payload, nodeId)))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(seq -> tx.preparedQuery(MARK_APPLIED).execute(Tuple.of(seq)).map(seq));
  }
}
