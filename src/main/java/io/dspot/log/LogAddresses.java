package io.dspot.log;

/** Event-bus addresses other modules may use to reach the ordered log; bodies are JSON objects. */
public final class LogAddresses {
  private LogAddresses() {}

  /** Local: {after, limit} → {events: [{seq, epoch, epochOwner, type, payload, origin}], lastApplied}. Serves peers' catch-up. */
  public static final String READ_RANGE = "outbox.events.read";
  /** Local: {} → {node, holding, epoch, epochOwner, nextSeq, members, configuredSize, majority (bool), queued, wants, ...}. */
  public static final String RING_STATUS = "ring.status";
  /** Local: {} → {lastApplied, backlog (undelivered), parked: [...], appliedBy}. */
  public static final String OUTBOX_STATUS = "outbox.status";
  /** Local publish after an event of type T was applied on this node: address PREFIX + T, body = the event's payload. */
  public static final String APPLIED_PREFIX = "outbox.applied.";
  /** Local publish after a batch was applied: {lastApplied}. */
  public static final String APPLIED = "outbox.applied";

  /** Cluster-wide, one per node: the RING_STATUS answer, for the cluster view. */
  public static String ringStatusOf(String nodeId) {
    return "ring.status." + nodeId;
  }

  /** Cluster-wide, one per node: the OUTBOX_STATUS answer, for the cluster view. */
  public static String outboxStatusOf(String nodeId) {
    return "outbox.status." + nodeId;
  }
}
