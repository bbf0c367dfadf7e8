package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A page of a search in relevance order, without ranking every match: first the songs whose title
 * starts with the query (an exact title first, then in title order), then every other match in the
 * natural order (artist, album, disc, track). Ranking each match by trigram similarity cost 22 µs a
 * song, 140 ms of a 6,000-match search at 100,000 songs (bench/search.md); each part here is read
 * from an index in its order and stops at the page. The second part is read only when the first
 * does not fill the page. {@link SongQuery#page} states the same order as one ORDER BY (the id list
 * uses it).
 *
 * <p>Nothing counts every match apart: when the titles fill the page, the page is all that is read
 * and the total is a lower bound ({@link PageTotal#UNCOUNTED}); a capped count beside it read up to
 * 1,001 matches only to print "1000+" (6-134 ms at 100,000 songs, more than the page). Otherwise the
 * second part reads the other matches' ids first, at most {@link PageTotal#EXACT_UP_TO} + 1 of them,
 * which both counts them and, when they are that few, is the cheapest way to page them.
 */
final class RelevantSongs {

  /**
   * The other matches are walked in the natural order only when they are known to be dense: more
   * than PageTotal.EXACT_UP_TO of them and at most this many matches that start a title.
   */
  private static final int WALK_IF_TITLE_STARTS_AT_MOST = PageTotal.EXACT_UP_TO / 2;
  private static final int FEW = PageTotal.EXACT_UP_TO + 1;

  /**
   * {@code limit + 1} rows from {@code offset} (see PageTotal), each with the marks of {@code
   * viewer} when there is one, and how many songs match: exact, above EXACT_UP_TO, or UNCOUNTED.
   */
  record Found(List<Row> rows, long matches) {}

  private RelevantSongs() {}

  static Future<Found> page(Pool pool, SongFilter filter, int limit, int offset, UUID viewer) {
    int end = offset + limit + 1;
    SongQuery.Sql first = SongQuery.titleStarts(filter, end, viewer);
    return pool.preparedQuery(first.text()).execute(first.params()).map(PageTotal::list).compose(starts -> {
      int n = starts.size();
      List<Row> page = new ArrayList<>(starts.subList(Math.min(offset, n), n));
      if (n == end) {
        return Future.succeededFuture(new Found(page, PageTotal.UNCOUNTED));
      }
      int skip = Math.max(0, offset - n);
      SongQuery.Sql few = SongQuery.fewOtherMatches(filter, FEW, end - n - skip, skip, viewer);
      return pool.preparedQuery(few.text()).execute(few.params()).compose(rows -> {
        long others = rows.iterator().next().getLong("matches");
        if (others < FEW) {
          rows.forEach(r -> {
            if (r.getUUID("id") != null) {
              page.add(r);
            }
          });
          return Future.succeededFuture(new Found(page, n + others));
        }
        // Dense: the ids read were any 1,001 of them, not the first in order.
        boolean walk = n <= WALK_IF_TITLE_STARTS_AT_MOST;
        SongQuery.Sql rest = SongQuery.otherMatches(filter, end - n - skip, skip, walk, viewer);
        return pool.preparedQuery(rest.text()).execute(rest.params()).map(more -> {
          more.forEach(page::add);
          return new Found(page, n + others);
        });
      });
    });
  }
}
