package io.dspot.replication;

/** Event-bus addresses of the replication module. */
public final class ReplicationAddresses {
  private ReplicationAddresses() {}

  /**
   * Local: {sha256} → {holders: [nodeId, ...]}: the live nodes the location index says hold the
   * blob, this node first when it is one of them, then the others in node-id order.
   */
  public static final String HOLDERS = "replication.holders.get";
}
