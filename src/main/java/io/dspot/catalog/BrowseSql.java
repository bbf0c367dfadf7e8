package io.dspot.catalog;

/** SQL of browsing by genre and year, and of the grouped search's album and artist lists. */
final class BrowseSql {
  private BrowseSql() {}

  /** Genres that differ only in case are one; the name shown is the first spelling in code-point order. */
  static final String GENRES = "SELECT min(genre) AS name, count(*) AS song_count, count(DISTINCT album_id) AS album_count "
      + "FROM songs WHERE genre IS NOT NULL AND btrim(genre) <> '' GROUP BY lower(genre) ORDER BY lower(genre)";

  /** One row per year and one per decade (its year null), decades first within their years. */
  static final String YEARS = "SELECT (year / 10) * 10 AS decade, year, count(*) AS song_count, count(DISTINCT album_id) AS album_count "
      + "FROM songs WHERE year IS NOT NULL GROUP BY GROUPING SETS (((year / 10) * 10), ((year / 10) * 10, year)) "
      + "ORDER BY decade, year NULLS FIRST";

  static final String SONGS_BY_IDS = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM + " WHERE s.id = ANY($1::uuid[])";

  /**
   * The albums every search word ($1..$n, LIKE patterns) matches, by title, by artist, or by the
   * genre or year of one of their songs: all of it is the album's row of album_words (V12), one
   * trigram index. Read from the songs this was, per word, a union of three trigram lookups (one
   * over every song: 'blue' matches the genre Blues) intersected across words: 15-69 ms at 100,000
   * songs (bench/search.md). Formatted with the words' condition ({@code %1$s}), the caller's
   * starred column (FavouriteKind.starredAtColumn, or nothing: {@code %2$s}) and the limit's
   * parameter number ({@code %3$d}).
   *
   * <p>The six are cut from album_words alone, which holds each album's list order (artist, year,
   * title; V14), and only they meet albums and artists: sorting every match joined to both first
   * took 2.3 ms for the 440 albums 'mor' matches, and as one join the generic plan walked every
   * artist in name order against the matches (3-11 ms; bench/search.md round 4). (artist, title)
   * is unique, so the order is total.
   */
  static final String ALBUM_MATCHES = "SELECT " + SongSql.ALBUM_COLUMNS + "%2$s FROM (SELECT w.album_id, w.artist_key, w.year, w.title_key"
      + " FROM album_words w WHERE %1$s ORDER BY w.artist_key, w.year NULLS LAST, w.title_key LIMIT $%3$d) w"
      + " JOIN albums al ON al.id = w.album_id JOIN artists ar ON ar.id = al.artist_id ORDER BY w.artist_key, w.year NULLS LAST, w.title_key";
  /**
   * The artists every search word matches, by name or by one of their songs' genre or year:
   * artist_words (V12); the matches first (MATERIALIZED), then sorted and cut: as one join the
   * generic plan walked 399 artists by name against the 24 matches of 'mor' (1.4-2 ms, now 0.8).
   * Formatted as ALBUM_MATCHES.
   */
  static final String ARTIST_MATCHES = "WITH m AS MATERIALIZED (SELECT ar.id, ar.name, ar.name_key FROM artist_words w"
      + " JOIN artists ar ON ar.id = w.artist_id WHERE %1$s) SELECT " + SongSql.ARTIST_COLUMNS + "%2$s FROM m ar ORDER BY ar.name_key LIMIT $%3$d";

  /** {@code column} LIKE each of the words' patterns, $1 to ${@code words}. */
  static String matching(String column, int words) {
    StringBuilder sql = new StringBuilder();
    for (int i = 1; i <= words; i++) {
      sql.append(i == 1 ? "" : " AND ").append(column).append(" LIKE $").append(i);
    }
    return sql.toString();
  }
}
