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
   * trigram index; formatted with the words' condition and the limit's parameter number. Read from the
   * songs this was, per word, a union of three trigram lookups (one over every song: 'blue'
   * matches the genre Blues) intersected across words: 15-69 ms at 100,000 songs (bench/search.md).
   * Formatted then with the caller's starred column (FavouriteKind.starredAtColumn, or nothing).
   *
   * <p>The matches first (MATERIALIZED), then sorted and cut: as one join, the generic plan walked
   * every artist in name order and tested each against every match for the LIMIT (9,243 rows
   * filtered for the 440 albums 'mor' matches, 3-11 ms); now they are joined by primary key and
   * sorted (2.3-2.6 ms for 'mor' under load, 0.1 ms where few match). Only the page's rows count
   * their songs and look up the caller's star.
   */
  static final String ALBUM_MATCHES = "WITH m AS MATERIALIZED (SELECT al.id, al.title, al.artist_id, ar.name AS artist, al.year, al.cover_sha256,"
      + " ar.name_key, al.title_key FROM album_words w JOIN albums al ON al.id = w.album_id JOIN artists ar ON ar.id = al.artist_id WHERE %s)"
      + " SELECT " + SongSql.ALBUM_COLUMNS.replace("ar.name AS artist", "al.artist") + "%s FROM m al"
      + " ORDER BY al.name_key, al.year NULLS LAST, al.title_key LIMIT $%d";
  /**
   * The artists every search word matches, by name or by one of their songs' genre or year:
   * artist_words (V12); matched first as ALBUM_MATCHES (the one join walked 399 artists by name
   * against 24 matches for 'mor': 1.4-2 ms, now 0.8).
   */
  static final String ARTIST_MATCHES = "WITH m AS MATERIALIZED (SELECT ar.id, ar.name, ar.name_key FROM artist_words w"
      + " JOIN artists ar ON ar.id = w.artist_id WHERE %s) SELECT " + SongSql.ARTIST_COLUMNS + "%s FROM m ar ORDER BY ar.name_key LIMIT $%d";

  /** {@code column} LIKE each of the words' patterns, $1 to ${@code words}. */
  static String matching(String column, int words) {
    StringBuilder sql = new StringBuilder();
    for (int i = 1; i <= words; i++) {
      sql.append(i == 1 ? "" : " AND ").append(column).append(" LIKE $").append(i);
    }
    return sql.toString();
  }
}
