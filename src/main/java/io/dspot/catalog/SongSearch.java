package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Search over title, artist and album: every word of the query must occur somewhere, as a prefix,
 * infix or whole word, in any case. The trigram index on {@code songs.search_text} serves the ILIKEs.
 */
final class SongSearch {
  static final int MAX_WORDS = 8;
  static final int MAX_QUERY = 200;

  private SongSearch() {}

  /** Lower-cased text the index holds for one song. */
  static String searchText(String title, String artist, String album, String albumArtist) {
    return String.join(" ", title, artist, album, albumArtist == null ? "" : albumArtist).toLowerCase(Locale.ROOT);
  }

  static List<String> words(String q) {
    if (q.length() > MAX_QUERY) {
      throw ServiceException.badRequest("search query longer than " + MAX_QUERY + " characters");
    }
    List<String> words = new ArrayList<>();
    for (String w : q.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      if (!w.isEmpty() && words.size() < MAX_WORDS) {
        words.add(w);
      }
    }
    return words;
  }

  record Query(String sql, Tuple params, String countSql, Tuple countParams) {}

  static Query build(List<String> words, int limit, int offset) {
    StringBuilder where = new StringBuilder();
    Tuple params = Tuple.tuple();
    for (String w : words) {
      params.addString("%" + escapeLike(w) + "%");
      where.append(where.length() == 0 ? " WHERE " : " AND ").append("s.search_text LIKE $").append(params.size());
    }
    Tuple countParams = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      countParams.addValue(params.getValue(i));
    }
    String countSql = "SELECT count(*) FROM songs s" + where;
    params.addString(String.join(" ", words));
    int rank = params.size();
    params.addInteger(limit);
    params.addInteger(offset);
    String sql = "SELECT " + SongSql.SONG_COLUMNS + ", count(*) OVER () AS total" + SongSql.SONG_FROM + where
        + " ORDER BY similarity(s.search_text, $" + rank + ") DESC, s.title LIMIT $" + (rank + 1) + " OFFSET $" + (rank + 2);
    return new Query(sql, params, countSql, countParams);
  }

  static String escapeLike(String w) {
    return w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
