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

  /** A search word $n matches an album by its title, its artist, or one of its songs' genre or year. */
  static final String ALBUM_WORD = "(al.title_key LIKE $%1$d OR ar.name_key LIKE $%1$d OR EXISTS (SELECT 1 FROM songs s "
      + "WHERE s.album_id = al.id AND (lower(s.genre) LIKE $%1$d OR s.year::text LIKE $%1$d)))";
  static final String ALBUM_MATCHES = "SELECT " + SongSql.ALBUM_COLUMNS + SongSql.ALBUM_FROM + " WHERE %s "
      + "ORDER BY ar.name_key, al.year NULLS LAST, al.title_key LIMIT $%d";

  /** A search word $n matches an artist by name, or by one of the artist's songs' genre or year. */
  static final String ARTIST_WORD = "(ar.name_key LIKE $%1$d OR EXISTS (SELECT 1 FROM songs s "
      + "WHERE s.artist_id = ar.id AND (lower(s.genre) LIKE $%1$d OR s.year::text LIKE $%1$d)))";
  static final String ARTIST_MATCHES = "SELECT " + SongSql.ARTIST_COLUMNS + " FROM artists ar WHERE %s ORDER BY ar.name_key LIMIT $%d";
}
