package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pages of the big lists (songs, albums, artists, searches) without counting every match: the page
 * query reads one row more than it answers, so the page knows whether more follow
 * ({@code hasMore}); the total is counted exactly up to {@link #EXACT_UP_TO} by a count that stops
 * there. Above it, {@code total} is a lower bound (at least {@link #EXACT_UP_TO}, at least what the
 * pages so far held) and {@code totalExact} is false. Counting 100,000 matches took longer than
 * the page itself (bench/search.md); a player shows "1000+ songs" and pages on {@code hasMore}.
 */
final class PageTotal {

  static final int EXACT_UP_TO = 1000;
  /** The offset of a page read after a cursor: not known. */
  static final int UNKNOWN_OFFSET = -1;
  /**
   * A count not taken (a search whose first part fills the page, see RelevantSongs): the total is
   * then the page's own lower bound, {@code offset} + its items, flagged not exact.
   */
  static final long UNCOUNTED = -1;

  private PageTotal() {}

  /** {@code count}, or no count at all when the caller does not show the total ({@link CatalogAddresses#UNCOUNTED}). */
  static Supplier<Future<Long>> unlessUncounted(boolean uncounted, Supplier<Future<Long>> count) {
    return uncounted ? () -> Future.succeededFuture(UNCOUNTED) : count;
  }

  /** A count of the rows {@code fromWhere} (from " FROM ..." to the end of its WHERE) selects, stopping past EXACT_UP_TO. */
  static String cappedCount(String fromWhere) {
    return "SELECT count(*) FROM (SELECT 1" + fromWhere + " LIMIT " + (EXACT_UP_TO + 1) + ") capped";
  }

  /**
   * The page answer from up to {@code limit + 1} rows, its count asked at the same time (on another
   * connection) so the two take the time of the slower, and only used when the page alone does not
   * tell the total (more rows follow, or the page is past the end).
   */
  static Future<JsonObject> page(Future<RowSet<Row>> rows, Supplier<Future<Long>> cappedCount, Function<Row, JsonObject> mapper,
      int limit, int offset) {
    return page(rows, cappedCount, false, mapper, limit, offset);
  }

  /** {@code count} counts everything when {@code exact} (a caller that must have the number, not a page of a list). */
  static Future<JsonObject> page(Future<RowSet<Row>> rows, Supplier<Future<Long>> count, boolean exact, Function<Row, JsonObject> mapper,
      int limit, int offset) {
    Future<Long> counted = count.get();
    return page(rows.map(PageTotal::list), counted, exact, mapper, limit, offset, null);
  }

  /**
   * The same from rows already read ({@link RelevantSongs} reads a page in two parts) and a count
   * already asked. {@code offset} {@link #UNKNOWN_OFFSET}: a page after a cursor, whose position
   * the rows do not tell (no {@code offset} in the answer; the total from the count). {@code next}
   * (may be null): the cursor of the page's last row, answered as {@code next} while more follow.
   */
  static Future<JsonObject> page(Future<List<Row>> rows, Future<Long> counted, boolean exact, Function<Row, JsonObject> mapper,
      int limit, int offset, Function<Row, String> next) {
    return rows.compose(set -> {
      JsonArray items = new JsonArray();
      for (Row r : set) {
        if (items.size() < limit) {
          items.add(mapper.apply(r));
        }
      }
      boolean hasMore = set.size() > limit;
      JsonObject page = new JsonObject().put("items", items).put("limit", limit).put("hasMore", hasMore);
      if (hasMore && next != null) {
        page.put(SongCursor.NEXT, next.apply(set.get(limit - 1)));
      }
      if (offset == UNKNOWN_OFFSET) {
        return counted.map(n -> exact || n <= EXACT_UP_TO ? page.put("total", n).put("totalExact", true)
            : page.put("total", (long) EXACT_UP_TO).put("totalExact", false));
      }
      page.put("offset", offset);
      if (!hasMore && (!items.isEmpty() || offset == 0)) {
        return Future.succeededFuture(page.put("total", (long) offset + items.size()).put("totalExact", true));
      }
      return counted.map(n -> {
        if (n == UNCOUNTED) {
          return page.put("total", (long) offset + items.size()).put("totalExact", false);
        }
        return exact || n <= EXACT_UP_TO ? page.put("total", n).put("totalExact", true)
            : page.put("total", lowerBound(offset, items.size())).put("totalExact", false);
      });
    });
  }

  static List<Row> list(RowSet<Row> rows) {
    List<Row> list = new ArrayList<>(rows.size());
    rows.forEach(list::add);
    return list;
  }

  /** More than EXACT_UP_TO match; a page with items also proves the matches reach past it (a page past the end does not). */
  private static long lowerBound(int offset, int items) {
    return items == 0 ? EXACT_UP_TO : Math.max(EXACT_UP_TO, (long) offset + items);
  }
}
