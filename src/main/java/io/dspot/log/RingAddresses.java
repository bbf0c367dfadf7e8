package io.dspot.log;

/** Event-bus addresses of the ring module. */
public final class RingAddresses {
  private RingAddresses() {}

  /** Local: {} → {holder (node id or null), epoch, members: [...], majority (bool)}. */
  public static final String STATUS = "ring.status";

  /** Cluster-wide, one per node: the same status, asked from another node (the cluster view). */
  public static String statusOf(String nodeId) {
    return "ring.status." + nodeId;
  }
}
