package io.dspot.outbox;

/** Local addresses the ring uses to drive the outbox. */
public final class OutboxInternal {
  private OutboxInternal() {}

  /** {seq} → {} once a majority of the configured cluster applied seq; fails on timeout. */
  public static final String REPLICATED = "outbox.replicated";
  /** {target} → {lastApplied} after fetching missing events from live peers. */
  public static final String CATCH_UP = "outbox.catchup";
}
