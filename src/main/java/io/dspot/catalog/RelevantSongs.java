package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a search in relevance order, without ranking every match: first the songs whose title
 * starts with the query (an exact title first, then in title order), then every other match in the
 * natural order (artist, album, disc, track). Ranking each match by trigram similarity cost 22 µs a
 * song, 140 ms of a 6,000-match search at 100,000 songs (bench/search.md); each part here is read
 * from an index in its order and stops at the page. The second part is read only when the first
 * does not fill the page. {@link SongQuery#page} states the same order as one ORDER BY (the id list
 * uses it).
 */
final class RelevantSongs {

  /**
   * The other matches are walked in the natural order only when they are known to be dense: more
   * than PageTotal.EXACT_UP_TO matches of which at most this many start a title.
   */
  private static final int WALK_IF_TITLE_STARTS_AT_MOST = PageTotal.EXACT_UP_TO / 2;

  private RelevantSongs() {}

  /** {@code limit + 1} rows from {@code offset} (see PageTotal); {@code cappedCount} is every match, capped. */
  static Future<List<Row>> page(Pool pool, SongFilter filter, int limit, int offset, Future<Long> cappedCount) {
    int end = offset + limit + 1;
    SongQuery.Sql first = SongQuery.titleStarts(filter, end);
    return pool.preparedQuery(first.text()).execute(first.params()).map(PageTotal::list).compose(starts -> {
      int n = starts.size();
      List<Row> page = new ArrayList<>(starts.subList(Math.min(offset, n), n));
      if (n == end) {
        return Future.succeededFuture(page);
      }
      int skip = Math.max(0, offset - n);
      return cappedCount.compose(total -> {
        if (total <= PageTotal.EXACT_UP_TO && total - n <= skip) {
          // Every match counted, and none left for this page beyond the titles (a rare word, no match).
          return Future.succeededFuture(List.<Row>of());
        }
        boolean walk = total > PageTotal.EXACT_UP_TO && n <= WALK_IF_TITLE_STARTS_AT_MOST;
        SongQuery.Sql rest = SongQuery.otherMatches(filter, end - n - skip, skip, walk);
        return pool.preparedQuery(rest.text()).execute(rest.params()).map(PageTotal::list);
      }).map(rows -> {
        rows.forEach(page::add);
        return page;
      });
    });
  }
}
