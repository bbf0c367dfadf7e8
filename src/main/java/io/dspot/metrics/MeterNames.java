package io.dspot.metrics;

/**
 * Every meter this project registers itself, named once (Micrometer's dotted names; Prometheus
 * shows them with underscores, {@code _seconds}/{@code _bytes} units and {@code _total} on
 * counters). docs/METRICS.md lists them with their labels; Vert.x's own meters ({@code vertx_*})
 * and the JVM's ({@code jvm_*}, {@code process_*}) come on top.
 */
public final class MeterNames {
  private MeterNames() {}

  /** Timer: how long one batch of the ordered log took to commit on the token holder (one transaction). */
  public static final String LOG_COMMIT = "dspot.log.commit";
  /** Summary: commands in one committed batch. */
  public static final String LOG_BATCH_SIZE = "dspot.log.batch.size";
  /** Gauge: the last sequence number this node applied. */
  public static final String LOG_LAST_APPLIED = "dspot.log.last.applied";
  /** Gauge: events this node committed that some live node has not acknowledged yet (its outbox). */
  public static final String LOG_OUTBOX_BACKLOG = "dspot.log.outbox.backlog";
  /** Gauge: writes waiting for the token on this node. */
  public static final String LOG_QUEUED = "dspot.log.queued";
  /** Gauge: 1 while this node holds the token. */
  public static final String LOG_HOLDING = "dspot.log.holding";
  /** Gauge, label {@code node}: how many events behind this node's last applied one that node acknowledged to this node's relay. */
  public static final String LOG_RELAY_LAG = "dspot.log.relay.lag";

  /** Gauge: blobs waiting to be copied to or from this node. */
  public static final String REPLICATION_BACKLOG = "dspot.replication.backlog";
  /** Counter: bytes this node copied for replication. */
  public static final String REPLICATION_COPIED = "dspot.replication.copied";
  /** Gauge: this node's copy rate over the last seconds. */
  public static final String REPLICATION_RATE = "dspot.replication.rate";
  /** Gauge: blobs this node holds that have fewer holders than the replication factor asks. */
  public static final String REPLICATION_UNDER_REPLICATED = "dspot.replication.under.replicated";

  /** Counter, label {@code outcome} (added, duplicate, failed): files a folder import went through. */
  public static final String IMPORT_FILES = "dspot.import.files";

  /** Counter: song bytes sent to listeners (streams, downloads, transcodes, album zips, Subsonic's included; bodies of 200 and 206 answers). */
  public static final String STREAM_BYTES = "dspot.stream.bytes";

  /** Timer, label {@code loop}: how long a task waits in an event loop's queue before it runs. */
  public static final String EVENT_LOOP_DELAY = "dspot.event.loop.delay";

  /** Gauge: connections the database pool has open (Vert.x's {@code vertx_pool_*} count its queue and use). */
  public static final String DB_POOL_SIZE = "dspot.db.pool.size";
}
