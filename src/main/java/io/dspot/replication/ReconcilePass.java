package io.dspot.replication;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One reconcile pass, a page of the location index at a time: read a page (the event loop only
 * decodes its rows), then stat its blobs and plan them on a worker thread, then hand the page's plan
 * to {@code act} on the event loop, then the next page. What a pass holds is one page, whatever the
 * size of the library: the whole index in maps, every blob's size and the plan of every blob had
 * been ~250 MB of allocation per pass at 110,000 blobs, and its planning had run on the event loop
 * (bench/footprint.md, round 5). Each blob's rows come in one page, so its plan sees all of them;
 * a blob added behind the cursor during the pass is seen by the next pass (its addition asks for one).
 */
final class ReconcilePass {

  /** Blobs per page: a page's rows, sizes and plan are a few hundred KB. */
  static final int PAGE_BLOBS = 1_000;

  /** The index's pages: up to {@code limit} blobs after {@code after} in key order ({@link LocationIndex#page}). */
  interface Pages {
    Future<Map<String, Set<String>>> after(String after, int limit);
  }

  /** Blocking (runs on a worker): the plan of one page, given its blobs and their holders. */
  interface Planner {
    ReconcilePlan plan(Map<String, Set<String>> page) throws Exception;
  }

  /** What one pass found over all its pages; the plan's lists themselves went to {@code act} page by page. */
  record Totals(int fetches, int records, int drops, int blobs, long bytes, int underReplicated, int pages) {

    static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0);

    Totals plus(ReconcilePlan page) {
      return new Totals(fetches + page.fetches().size(), records + page.records().size(), drops + page.drops().size(),
          blobs + page.blobs(), bytes + page.bytes(), underReplicated + page.underReplicated(), pages + 1);
    }

    boolean nothingToDo() {
      return fetches == 0 && records == 0 && drops == 0;
    }
  }

  private final Vertx vertx;
  private final Pages pages;
  private final int pageBlobs;
  private final Planner planner;
  private final Consumer<ReconcilePlan> act;

  ReconcilePass(Vertx vertx, Pages pages, int pageBlobs, Planner planner, Consumer<ReconcilePlan> act) {
    if (pageBlobs < 1) {
      throw new IllegalArgumentException("a page holds at least one blob, not " + pageBlobs);
    }
    this.vertx = vertx;
    this.pages = pages;
    this.pageBlobs = pageBlobs;
    this.planner = planner;
    this.act = act;
  }

  /** Call on the verticle's event loop; {@code act} runs there too. */
  Future<Totals> run() {
    return from("", Totals.NONE);
  }

  private Future<Totals> from(String after, Totals sofar) {
    return pages.after(after, pageBlobs).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(sofar);
      }
      String last = lastKey(page);
      return vertx.executeBlocking(() -> planner.plan(page)).compose(plan -> {
        act.accept(plan);
        Totals totals = sofar.plus(plan);
        return page.size() < pageBlobs ? Future.succeededFuture(totals) : from(last, totals);
      });
    });
  }

  private static String lastKey(Map<String, Set<String>> page) {
    String last = null;
    for (String key : page.keySet()) {
      last = key;
    }
    return last;
  }
}
