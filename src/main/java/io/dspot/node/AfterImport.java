package io.dspot.node;

import io.dspot.ingest.IngestAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running node's housekeeping once a folder import has ended: the database's after-work of
 * the import done at once, then the heap the import grew given back. Not for {@code --import},
 * whose process ends with the import.
 *
 * <p>The database: {@code VACUUM (ANALYZE)}. The import's rows need fresh statistics for the
 * planner (search plans at 100,000 songs depend on them) and a vacuum for the visibility map
 * (index-only scans) and hint bits; autovacuum would do the same within a minute or so, while the
 * node is otherwise idle (1.1-1.7 % of a core in the minute after a 100,000-song import:
 * bench/footprint.md, round 5). Done here it is done once, right when its statistics are needed.
 *
 * <p>The heap: an import keeps hundreds of songs in flight (probed, waiting for their batch, on the
 * event bus), and young collections promote them; the serial collector (SmallJvm) grows its old
 * generation for them, up to the heap's limit, instead of collecting it, and resizes the heap only
 * at a full collection, which an idle node never has. One full collection gives it back; with
 * {@code -XX:-ShrinkHeapInSteps} (SmallJvm) at once: 84 → 31 MB committed (13 MB in use) after a
 * 100,000-song import. Its pause is that of one full collection of that heap (30-40 ms), once per
 * import. At that size replication's reconcile pass, which holds the whole location index while it
 * runs, follows right after and grows the heap again (to 85 MB within 5 s; bench/footprint.md round 5).
 */
final class AfterImport {

  private static final Logger log = LoggerFactory.getLogger(AfterImport.class);

  private AfterImport() {}

  static void watch(Vertx vertx, Pool pool) {
    vertx.eventBus().<JsonObject>localConsumer(IngestAddresses.IMPORT_FINISHED, m -> {
      if (m.body().getInteger("imported", 0) == 0) {
        return; // a re-import of an unchanged folder, or nothing taken in: no after-work
      }
      long started = System.nanoTime();
      pool.query("VACUUM (ANALYZE)").execute()
          .onFailure(e -> log.warn("after the import: VACUUM (ANALYZE) failed (autovacuum will do it): {}", e.getMessage()))
          .transform(done -> {
            long vacuumed = System.nanoTime();
            return vertx.executeBlocking(() -> {
              Shrunk shrunk = collect();
              log.info("after the import: VACUUM (ANALYZE) in {} ms; heap {} → {} MB committed ({} MB in use) by one full collection of {} ms",
                  (vacuumed - started) / 1_000_000, shrunk.before() >> 20, shrunk.after() >> 20, shrunk.used() >> 20,
                  (System.nanoTime() - vacuumed) / 1_000_000);
              return null;
            }, false);
          });
    });
  }

  /** The heap committed before and after, and in use after, in bytes. */
  record Shrunk(long before, long after, long used) {}

  static Shrunk collect() {
    Runtime runtime = Runtime.getRuntime();
    long before = runtime.totalMemory();
    System.gc();
    return new Shrunk(before, runtime.totalMemory(), runtime.totalMemory() - runtime.freeMemory());
  }
}
