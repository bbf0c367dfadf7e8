package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The ordered log's front door: how modules write, apply and rebuild. A write waits for the ring
 * token, commits with the next global sequence number, and reaches every node in that order.
 */
public interface OrderedLog {

  /**
   * Queues a command for the token. Completes on the caller's context once a majority of the
   * configured cluster holds its event (or at once when it recorded none); fails with 503 while
   * this node cannot see a majority, or with the command's own refusal.
   */
  Future<JsonObject> submit(OrderedCommand command);

  /** The module that owns an event type applies it on every node; register before the log starts. */
  void registerApplier(String eventType, Applier applier);

  /** A module's part of a rebuild from peers: wipe its own tables; register before the log starts. */
  void onRebuild(RebuildHook hook);

  /** Empties a module's tables inside the rebuild's transaction (the log then empties its own). */
  @FunctionalInterface
  interface RebuildHook {
    Future<Void> wipe(SqlConnection tx);
  }
}
