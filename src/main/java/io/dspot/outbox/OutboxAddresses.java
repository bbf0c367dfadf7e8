package io.dspot.outbox;

/** Event-bus addresses of the outbox module. */
public final class OutboxAddresses {
  private OutboxAddresses() {}

  /** Local: {after, limit} → {events: [{seq, epoch, type, payload, origin}], lastApplied}. Serves peers' catch-up. */
  public static final String READ_RANGE = "outbox.events.read";
  /** Local: {} → {lastApplied, backlog (undelivered), parked: [...]}. */
  public static final String STATUS = "outbox.status";
}
