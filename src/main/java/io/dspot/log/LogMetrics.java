package io.dspot.log;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ordered log's own figures, as plain numbers a metrics module can read or be told about (no
 * metrics library here): batches committed and their size, how long a batch took to commit and to
 * be confirmed by a majority, and how far each peer is behind this node's newest event. Written on
 * the log's event loop, readable from any thread.
 */
public final class LogMetrics {

  /** Told about every batch this node committed, on the log's event loop: keep it quick. */
  public interface BatchListener {
    /**
     * @param events ordered events the batch recorded
     * @param commitNanos from the start of its transaction to its commit
     * @param confirmedNanos from the start of its transaction until a majority held it (or it timed out)
     */
    void batch(int events, long commitNanos, long confirmedNanos);
  }

  private final LongAdder batches = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private volatile int lastBatchSize;
  private volatile Map<String, Long> relayLag = Map.of();
  private volatile int relayBacklog;
  private volatile BatchListener listener = (n, commit, confirmed) -> { };

  public void onBatch(BatchListener l) {
    listener = l;
  }

  /** Batches this node committed since it started. */
  public long batches() {
    return batches.sum();
  }

  /** Ordered events this node committed since it started. */
  public long events() {
    return events.sum();
  }

  /** Total time spent committing those batches (divide by {@link #batches()} for the mean). */
  public long commitNanos() {
    return commitNanos.sum();
  }

  public int lastBatchSize() {
    return lastBatchSize;
  }

  /** Per live peer: how many sequence numbers it is behind this node's newest committed event. */
  public Map<String, Long> relayLag() {
    return relayLag;
  }

  /** This node's events that some live peer does not hold yet. */
  public int relayBacklog() {
    return relayBacklog;
  }

  void committed(int n, long commitTook, long confirmedTook) {
    batches.increment();
    events.add(n);
    commitNanos.add(commitTook);
    lastBatchSize = n;
    listener.batch(n, commitTook, confirmedTook);
  }

  void relay(Map<String, Long> lag, int backlog) {
    relayLag = Map.copyOf(lag);
    relayBacklog = backlog;
  }
}
