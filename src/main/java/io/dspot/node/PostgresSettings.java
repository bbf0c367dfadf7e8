package io.dspot.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded PostgreSQL's server settings for a small server: it shares the machine with the
 * node's JVM, holds a catalog of tens of MB per 10,000 songs, and serves one pool. Measured with
 * {@code bench/footprint.sh} (PSS of all its processes at 10,000 songs).
 */
final class PostgresSettings {

  /**
   * Connections besides the pool's: the log's LISTEN connection, Flyway and the password lockdown
   * at start, an operator's psql, and the superuser slots PostgreSQL keeps back (3).
   */
  static final int CONNECTIONS_BEYOND_POOL = 12;

  private PostgresSettings() {}

  static Map<String, String> forPool(int poolSize) {
    Map<String, String> settings = new LinkedHashMap<>();
    // zonky's default is 300; every slot costs shared memory (lock table, proc array) in every backend's map.
    settings.put("max_connections", Integer.toString(2 * poolSize + CONNECTIONS_BEYOND_POOL));
    // The catalog of 10,000 songs is ~20 MB; the kernel's page cache holds the rest anyway. Buffers
    // once read stay resident: a 100,000-song import filled 32 MB of them (+28 MB PSS while importing,
    // kept after); 16 MB caps that growth at ~+11 MB (bench/footprint.md, round 7, with what it costs).
    settings.put("shared_buffers", "16MB");
    settings.put("maintenance_work_mem", "16MB");
    settings.put("work_mem", "4MB");
    settings.put("temp_buffers", "4MB");
    settings.put("autovacuum_max_workers", "2");
    // No logical replication here: its launcher is one process fewer, waking up for nothing.
    settings.put("max_logical_replication_workers", "0");
    settings.put("max_worker_processes", "4");
    settings.put("huge_pages", "off");
    return settings;
  }
}
