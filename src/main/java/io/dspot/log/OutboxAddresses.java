package io.dspot.log;

/** Event-bus addresses of the outbox module. */
public final class OutboxAddresses {
  private OutboxAddresses() {}

  /** Local: {after, limit} → {events: [{seq, epoch, type, payload, origin}], lastApplied}. Serves peers' catch-up. */
  public static final String READ_RANGE = "outbox.events.read";
  /** Local: {} → {lastApplied, backlog (undelivered), parked: [...]}. */
  public static final String STATUS = "outbox.status";
  /** Local publish after an event of type T was applied on this node: address PREFIX + T, body = the event's payload. */
  public static final String APPLIED_PREFIX = "outbox.applied.";
  /** Local publish after a batch was applied: {lastApplied}. */
  public static final String APPLIED = "outbox.applied";

  /** Cluster-wide, one per node: the STATUS answer, for the cluster view. */
  public static String statusOf(String nodeId) {
    return "outbox.status." + nodeId;
  }

  /** Cluster-wide, one per node (suffix: node id): a relay's batch {events: [...]} → {lastApplied} or failure 409 when fenced. */
  public static String deliverTo(String nodeId) {
    return "outbox.deliver." + nodeId;
  }

}
