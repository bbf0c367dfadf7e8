package io.dspot.streaming;

import io.dspot.log.LogAddresses;
import io.dspot.replication.ReplicationAddresses;
import io.dspot.storage.BlobStore;
import io.dspot.testkit.TestNode;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Stands in for replication in tests that pause it, so each test knows exactly who holds what: a
 * blob copied by hand into another node's store, and one relaying node's location index told so.
 */
final class HandMadeReplica {

  private HandMadeReplica() {}

  /**
   * Copies the blob from {@code fromDataDir} into {@code to}'s store, writes the location row
   * straight into {@code relay}'s database, and tells {@code relay}'s modules what the ordered log
   * says after applying {@code replica.added} (its relays forget the holder lists they had).
   */
  static void make(String sha256, Path fromDataDir, String toNodeId, Path toDataDir, TestNode relay) throws Exception {
    Path copy = new BlobStore(toDataDir).pathFor(sha256);
    Files.createDirectories(copy.getParent());
    Files.copy(new BlobStore(fromDataDir).pathFor(sha256), copy);
    try (Connection db = DriverManager.getConnection(relay.node().jdbcUrl(), "postgres", "");
        PreparedStatement insert = db.prepareStatement("INSERT INTO song_locations (sha256, node_id) VALUES (?, ?)")) {
      insert.setString(1, sha256);
      insert.setString(2, toNodeId);
      insert.executeUpdate();
    }
    relay.vertx().eventBus().publish(LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICA_ADDED,
        new JsonObject().put("sha256", sha256).put("node", toNodeId), new DeliveryOptions().setLocalOnly(true));
  }
}
