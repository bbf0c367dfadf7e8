package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a node with a large library takes requests, it sends its own search and list requests to
 * its catalog, one at a time, until the JVM's JIT compiler goes quiet or {@code maxMillis} passed.
 * A fresh JVM compiles the search path while it serves it: on 2 cores the C2 compiler was about
 * half of a new node's CPU samples over its first thousand searches (bench/search.md, rounds 5 and
 * 6), and a search's p50 7-9 ms against 3-4.5 ms on a node that had served a few hundred. The words come
 * from the node's own catalog (a few songs' titles, genre and year), the shapes are the web
 * player's (a title word, its first three letters, two words, genre and year, no hit, the next
 * page, the first pages of the lists, home), for a viewer that has no marks, and each answer is
 * encoded as the HTTP front does (ApiReplies). Reads only; small libraries, whose searches are
 * cheap, skip it.
 */
final class SearchWarmUp {

  private static final Logger log = LoggerFactory.getLogger(SearchWarmUp.class);

  /** The JIT counts as quiet when it compiled less than this share of a window's wall time. */
  private static final double QUIET_SHARE = 0.05;
  private static final long WINDOW_MILLIS = 500;
  /** At least this many passes over the shapes, so every one reached the compiler's thresholds once. */
  private static final int MIN_PASSES = 20;
  /** Songs the words are taken from: consecutive ids from a random one on, wrapping to the first (two index probes). */
  private static final String SOME_SONGS = "(SELECT title, genre, year FROM songs WHERE id >= $1 ORDER BY id LIMIT 4)"
      + " UNION ALL (SELECT title, genre, year FROM songs ORDER BY id LIMIT 4) LIMIT 4";
  private static final String AT_LEAST = "SELECT count(*) FROM (SELECT 1 FROM songs LIMIT $1) s";

  private final Vertx vertx;
  private final Pool pool;
  private final int fromSongs;
  private final long maxMillis;
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

  SearchWarmUp(Vertx vertx, Pool pool, int fromSongs, long maxMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.fromSongs = fromSongs;
    this.maxMillis = maxMillis;
  }

  /**
   * Completes when warm (or skipped: either setting 0 means never, and 0 songs is the default);
   * never fails: a failed request ends the warm-up with a warning.
   */
  Future<Void> run() {
    if (fromSongs <= 0 || maxMillis <= 0) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(AT_LEAST).execute(Tuple.of(fromSongs)).compose(count -> {
      if (count.iterator().next().getLong(0) < fromSongs) {
        return Future.succeededFuture();
      }
      return pool.preparedQuery(SOME_SONGS).execute(Tuple.of(UUID.randomUUID())).compose(rows -> {
        List<Row> songs = new ArrayList<>();
        rows.forEach(songs::add);
        return passes(requests(songs));
      });
    }).recover(e -> {
      log.warn("search warm-up stopped: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  private record Request(String address, JsonObject body) {}

  /** The shapes, with words from {@code songs}. */
  private static List<Request> requests(List<Row> songs) {
    String viewer = UUID.randomUUID().toString();
    List<Request> out = new ArrayList<>();
    for (int i = 0; i < songs.size(); i++) {
      Row song = songs.get(i);
      String word = firstWord(song.getString("title"));
      if (word.isEmpty()) {
        continue;
      }
      out.add(search(viewer, word));
      if (word.length() > 3) {
        out.add(search(viewer, word.substring(0, 3)));
      }
      String[] other = words(songs.get((i + 1) % songs.size()).getString("title"));
      out.add(search(viewer, word + " " + other[other.length - 1]));
      if (song.getString("genre") != null && song.getInteger("year") != null) {
        out.add(search(viewer, song.getString("genre") + " " + song.getInteger("year")));
      }
      if (i == 0) {
        out.add(new Request(CatalogAddresses.SONG_LIST, new JsonObject().put("q", word).put("limit", 50).put("offset", 50).put("callerId", viewer)));
      }
    }
    out.add(search(viewer, "qqxjzvq"));
    out.add(new Request(CatalogAddresses.SONG_LIST, new JsonObject().put("limit", 50).put("offset", 0).put("callerId", viewer)));
    out.add(new Request(CatalogAddresses.ALBUM_LIST, new JsonObject().put("limit", 50).put("offset", 0).put("callerId", viewer)));
    out.add(new Request(CatalogAddresses.ARTIST_LIST, new JsonObject().put("limit", 50).put("offset", 0).put("callerId", viewer)));
    out.add(new Request(CatalogAddresses.HOME, new JsonObject().put("callerId", viewer)));
    return out;
  }

  private static String[] words(String title) {
    return title.toLowerCase(Locale.ROOT).trim().split("\\s+");
  }

  private static String firstWord(String title) {
    return words(title)[0];
  }

  private static Request search(String viewer, String q) {
    return new Request(CatalogAddresses.SEARCH, new JsonObject().put("q", q).put("limit", 50).put("offset", 0).put("callerId", viewer));
  }

  private Future<Void> passes(List<Request> requests) {
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    new Object() {
      int passes;
      int sent;
      long windowStart = start;
      long windowJit = jit.getTotalCompilationTime();

      void next(int i) {
        if (i == requests.size()) {
          passes++;
          long now = System.nanoTime();
          long elapsed = (now - start) / 1_000_000;
          if ((now - windowStart) / 1_000_000 >= WINDOW_MILLIS) {
            long compiled = jit.getTotalCompilationTime() - windowJit;
            boolean quiet = compiled < QUIET_SHARE * (now - windowStart) / 1_000_000;
            if (quiet && passes >= MIN_PASSES) {
              finish("the JIT went quiet", elapsed);
              return;
            }
            windowStart = now;
            windowJit = jit.getTotalCompilationTime();
          }
          i = 0;
        }
        // Checked before every request: at 1,000,000 songs a pass is seconds of searches.
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (elapsed >= maxMillis) {
          finish("its time ran out", elapsed);
          return;
        }
        Request r = requests.get(i);
        int at = i;
        sent++;
        vertx.eventBus().<JsonObject>request(r.address(), r.body()).onComplete(reply -> {
          if (reply.failed()) {
            done.fail(reply.cause());
            return;
          }
          reply.result().body().toBuffer();
          next(at + 1);
        });
      }

      void finish(String why, long elapsed) {
        log.info("warmed the search path in {} ms ({}): {} requests of {} shapes, JIT compile time {} ms", elapsed, why, sent,
            requests.size(), jit.getTotalCompilationTime());
        done.complete();
      }
    }.next(0);
    return done.future();
  }
}
