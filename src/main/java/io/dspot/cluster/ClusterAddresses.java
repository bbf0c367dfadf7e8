package io.dspot.cluster;

/** Event-bus addresses of the cluster module; all local to the node. */
public final class ClusterAddresses {
  private ClusterAddresses() {}

  /**
   * Local: {} → {self, configuredSize, majority, status ("UP"/"DEGRADED"), reason (null when UP),
   * members: [{nodeId, vertxNodeId, api: "host:port", internal: "host:port"}],
   * mismatches: [{nodeId, vertxNodeId, theirs, ours}]}. A live member that has not published its
   * endpoints yet appears with a null nodeId, api and internal.
   */
  public static final String MEMBERS = "cluster.members.get";
  /** Published locally, with the same body as {@link #MEMBERS}, whenever that view changes. */
  public static final String MEMBERSHIP_CHANGED = "cluster.members.changed";
}
