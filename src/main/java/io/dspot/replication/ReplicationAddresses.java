package io.dspot.replication;

/** Event-bus addresses of the replication module and the event types it owns. */
public final class ReplicationAddresses {
  private ReplicationAddresses() {}

  /**
   * Local: {sha256} → {holders: [nodeId, ...]}: the live nodes the location index says hold the
   * blob, this node first when it is one of them, then the others in node-id order.
   */
  public static final String HOLDERS = "replication.holders.get";

  /**
   * Local: {node, blobs, bytes, underReplicated, backlog, copies, copiedBytes,
   * copyRateBytesPerSecond, factor}: this node's share of the music and its copying, as of its
   * last reconcile (blobs and bytes: what this node holds and the index lists).
   */
  public static final String STATUS = "replication.status";

  /**
   * Local: {sha256, timeoutMs?} → {holders, needed}: answers once the song is held (index rows)
   * by enough nodes for the configured acknowledgement: at once with {@code ack = local}, by a
   * majority of the song's placement with {@code ack = quorum}; 504 when that takes longer than
   * timeoutMs (the song stays, and replication goes on).
   */
  public static final String AWAIT = "replication.await";

  /**
   * Local: {sha256s: [...], timeoutMs?} → {short: [sha256...]}: {@link #AWAIT} for many
   * blobs at once (a folder import's batch), one look at the index per poll for all of them.
   * Answers once each is held by enough nodes, or at the timeout with those that are not in
   * {@code short} (they stay, and replication goes on).
   */
  public static final String AWAIT_ALL = "replication.await.all";

  /** Cluster-wide, one per node: the {@link #STATUS} answer, for the cluster view. */
  public static String statusOf(String nodeId) {
    return "replication.status." + nodeId;
  }

  /** Ordered-log event: {sha256, node}: that node holds the blob, verified and durable on its disk. */
  public static final String REPLICA_ADDED = "replica.added";
  /**
   * Ordered-log event: {node, sha256s: [...]}: that node holds every one of the blobs, verified and
   * durable on its disk. What a node's copies made in one go are recorded as: one record for many
   * copies, so a folder import into a cluster does not queue a ring write per copy behind its songs.
   */
  public static final String REPLICAS_ADDED = "replicas.added";
  /** Ordered-log event: {sha256, node}: that node no longer holds the blob (the file goes after). */
  public static final String REPLICA_DROPPED = "replica.dropped";
}
