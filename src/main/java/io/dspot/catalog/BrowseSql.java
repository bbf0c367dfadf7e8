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
   * A song's genre and year as one text, the expression of the trigram index songs_genre_year_trgm
   * (V9), character for character.
   */
  static final String GENRE_YEAR = "(coalesce(lower(s.genre), '') || ' ' || coalesce(s.year::text, ''))";
  /**
   * The ids of the albums a search word $n matches: by title, by artist, or by one of their songs'
   * genre or year, each part read from its own trigram index. Several words intersect (see
   * {@link #matching}). As ORs with a subquery per album the planner tested every album, and every
   * song for the year: 80 ms at 100,000 songs for a word that matched nothing.
   */
  static final String ALBUM_IDS = "SELECT a.id FROM albums a WHERE a.title_key LIKE $%1$d"
      + " UNION SELECT a.id FROM albums a JOIN artists r ON r.id = a.artist_id WHERE r.name_key LIKE $%1$d"
      + " UNION SELECT s.album_id FROM songs s WHERE " + GENRE_YEAR + " LIKE $%1$d";
  static final String ALBUM_MATCHES = "SELECT " + SongSql.ALBUM_COLUMNS + SongSql.ALBUM_FROM + " WHERE al.id = ANY(ARRAY(%s)) "
      + "ORDER BY ar.name_key, al.year NULLS LAST, al.title_key LIMIT $%d";

  /** The ids of the artists a search word $n matches: by name, or by one of their songs' genre or year. */
  static final String ARTIST_IDS = "SELECT r.id FROM artists r WHERE r.name_key LIKE $%1$d"
      + " UNION SELECT s.artist_id FROM songs s WHERE " + GENRE_YEAR + " LIKE $%1$d";
  static final String ARTIST_MATCHES = "SELECT " + SongSql.ARTIST_COLUMNS + " FROM artists ar WHERE ar.id = ANY(ARRAY(%s)) "
      + "ORDER BY ar.name_key LIMIT $%d";

  /**
   * The ids every word's set holds ({@code idsOfWord} formatted with each word's parameter number,
   * from 1): one array computed once, then a primary-key lookup per id.
   */
  static String matching(String idsOfWord, int words) {
    StringBuilder sql = new StringBuilder();
    for (int i = 1; i <= words; i++) {
      sql.append(i == 1 ? "" : " INTERSECT ").append('(').append(String.format(idsOfWord, i)).append(')');
    }
    return sql.toString();
  }
}
