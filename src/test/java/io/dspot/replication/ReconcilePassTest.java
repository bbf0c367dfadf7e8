package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pass reads the index a page at a time, plans each page on a worker thread (never on the event
 * loop, where the plan of 100,000 blobs had run) and acts on each page's plan on the event loop;
 * the pages' plans together are the plan of the whole index.
 */
class ReconcilePassTest {

  private static final Set<String> ALL = Set.of("node-1", "node-2", "node-3");
  private static final String SELF = "node-1";

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aLargeIndexIsPlannedInPagesOnAWorkerAndTheirPlansAddUpToTheWholePlan() throws Exception {
    TreeMap<String, Set<String>> index = index(2_500);
    Map<String, Long> sizes = sizes(index);
    List<String> asked = new CopyOnWriteArrayList<>();
    List<Integer> planned = new CopyOnWriteArrayList<>();
    List<String> planThreads = new CopyOnWriteArrayList<>();
    List<Boolean> actOnEventLoop = new CopyOnWriteArrayList<>();
    List<ReconcilePlan> acted = new CopyOnWriteArrayList<>();
    ReconcilePass pass = new ReconcilePass(vertx, pages(index, asked), 1_000, page -> {
      planThreads.add(Context.isOnEventLoopThread() ? "event loop " + Thread.currentThread().getName() : "worker");
      planned.add(page.size());
      return ReconcilePlan.of(SELF, page, only(sizes, page.keySet()), ALL, ALL, 2);
    }, plan -> {
      actOnEventLoop.add(Context.isOnEventLoopThread());
      acted.add(plan);
    });

    ReconcilePass.Totals totals = runOnEventLoop(pass);

    List<String> keys = new ArrayList<>(index.keySet());
    assertThat(asked).containsExactly("", keys.get(999), keys.get(1_999));
    assertThat(planned).containsExactly(1_000, 1_000, 500);
    assertThat(planThreads).containsOnly("worker");
    assertThat(actOnEventLoop).containsOnly(true).hasSize(3);

    ReconcilePlan whole = ReconcilePlan.of(SELF, index, sizes, ALL, ALL, 2);
    assertThat(whole.fetches()).isNotEmpty();
    assertThat(whole.records()).isNotEmpty();
    assertThat(whole.drops()).isNotEmpty();
    assertThat(acted.stream().flatMap(p -> p.fetches().stream()).toList()).containsExactlyInAnyOrderElementsOf(whole.fetches());
    assertThat(acted.stream().flatMap(p -> p.records().stream()).toList()).containsExactlyInAnyOrderElementsOf(whole.records());
    assertThat(acted.stream().flatMap(p -> p.drops().stream()).toList()).containsExactlyInAnyOrderElementsOf(whole.drops());
    assertThat(totals).isEqualTo(new ReconcilePass.Totals(whole.fetches().size(), whole.records().size(), whole.drops().size(),
        whole.blobs(), whole.bytes(), whole.underReplicated(), 3));
  }

  @Test
  void anIndexOfWholePagesEndsOnTheEmptyPageAfterThemAndAnEmptyIndexHasNoPage() throws Exception {
    TreeMap<String, Set<String>> index = index(2_000);
    List<String> asked = new CopyOnWriteArrayList<>();
    ReconcilePass.Totals totals = runOnEventLoop(new ReconcilePass(vertx, pages(index, asked), 1_000,
        page -> ReconcilePlan.of(SELF, page, Map.of(), ALL, ALL, 2), plan -> { }));
    assertThat(asked).hasSize(3);
    assertThat(totals.pages()).isEqualTo(2);

    ReconcilePass.Totals none = runOnEventLoop(new ReconcilePass(vertx, pages(new TreeMap<>(), new ArrayList<>()), 1_000,
        page -> ReconcilePlan.of(SELF, page, Map.of(), ALL, ALL, 2), plan -> { }));
    assertThat(none).isEqualTo(ReconcilePass.Totals.NONE);
  }

  @Test
  void aPageThatCannotBeReadFailsThePassAfterThePagesBeforeItWereActedOn() {
    TreeMap<String, Set<String>> index = index(1_500);
    List<ReconcilePlan> acted = new CopyOnWriteArrayList<>();
    ReconcilePass.Pages readable = pages(index, new ArrayList<>());
    ReconcilePass.Pages failingSecond = (after, limit) -> after.isEmpty() ? readable.after(after, limit)
        : Future.failedFuture(new IllegalStateException("the database went away"));
    ReconcilePass pass = new ReconcilePass(vertx, failingSecond, 1_000,
        page -> ReconcilePlan.of(SELF, page, Map.of(), ALL, ALL, 2), acted::add);
    assertThatThrownBy(() -> runOnEventLoop(pass)).hasRootCauseMessage("the database went away");
    assertThat(acted).hasSize(1);
  }

  @Test
  void aPageOfNoBlobIsRefused() {
    assertThatThrownBy(() -> new ReconcilePass(vertx, pages(new TreeMap<>(), new ArrayList<>()), 0, page -> null, plan -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private ReconcilePass.Totals runOnEventLoop(ReconcilePass pass) throws Exception {
    CompletableFuture<ReconcilePass.Totals> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> pass.run().onComplete(r -> {
      if (r.succeeded()) {
        done.complete(r.result());
      } else {
        done.completeExceptionally(r.cause());
      }
    }));
    return done.get(30, TimeUnit.SECONDS);
  }

  /** Pages as LocationIndex#page answers them, each request noted by its cursor. */
  private static ReconcilePass.Pages pages(TreeMap<String, Set<String>> index, List<String> asked) {
    return (after, limit) -> {
      asked.add(after);
      Map<String, Set<String>> page = new LinkedHashMap<>();
      for (Map.Entry<String, Set<String>> e : index.tailMap(after, false).entrySet()) {
        if (page.size() == limit) {
          break;
        }
        page.put(e.getKey(), e.getValue());
      }
      return Future.succeededFuture(page);
    };
  }

  /** Blobs held by one, two or three nodes, so the node has some to fetch, record and drop. */
  private static TreeMap<String, Set<String>> index(int blobs) {
    TreeMap<String, Set<String>> index = new TreeMap<>();
    List<String> nodes = List.copyOf(new java.util.TreeSet<>(ALL));
    for (int i = 0; i < blobs; i++) {
      String sha = HexFormat.of().formatHex(Hashes.sha256().digest(("blob " + i).getBytes(StandardCharsets.UTF_8)));
      Set<String> holders = new java.util.TreeSet<>();
      for (int j = 0; j <= i % 3; j++) {
        holders.add(nodes.get((i + j) % 3));
      }
      index.put(sha, holders);
    }
    return index;
  }

  /** Every other blob has a file here. */
  private static Map<String, Long> sizes(Map<String, Set<String>> index) {
    Map<String, Long> sizes = new HashMap<>();
    int i = 0;
    for (String sha : index.keySet()) {
      if (i++ % 2 == 0) {
        sizes.put(sha, 100L + i);
      }
    }
    return sizes;
  }

  private static Map<String, Long> only(Map<String, Long> sizes, Set<String> shas) {
    Map<String, Long> some = new HashMap<>();
    shas.forEach(sha -> {
      if (sizes.containsKey(sha)) {
        some.put(sha, sizes.get(sha));
      }
    });
    return some;
  }
}
