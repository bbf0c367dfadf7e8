package io.dspot.log;

/** Local addresses the ring uses to drive the outbox. */
public final class OutboxInternal {
  private OutboxInternal() {}

  /** {seq} → {} once a majority of the configured cluster applied seq; fails on timeout. */
  public static final String REPLICATED = "outbox.replicated";
  /** {events: [...]} → {lastApplied}: events that came with the ring token, applied in order. */
  public static final String APPLY = "outbox.apply";
  /** {target, from?} → {lastApplied} after fetching missing events from live peers (from first). */
  public static final String CATCH_UP = "outbox.catchup";
}
