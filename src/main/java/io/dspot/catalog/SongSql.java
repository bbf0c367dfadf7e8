package io.dspot.catalog;

/** SQL of the songs, artists and albums tables. */
final class SongSql {
  private SongSql() {}

  static final String SONG_COLUMNS =
      "s.id, s.title, s.artist_id, ar.name AS artist, s.album_id, al.title AS album, s.album_artist, s.track, s.disc, "
          + "s.year, s.genre, s.duration_ms, s.bitrate, s.codec, s.content_type, s.size, s.sha256, s.demo, s.created_at";
  /**
   * SONG_COLUMNS over {@code songs s} alone: the artist's name and the album's title by a probe of
   * their primary keys per row, for short pages whose generic plan would otherwise hash every
   * artist and album (see UserLibrarySql.HISTORY).
   */
  static final String SONG_COLUMNS_PROBED = SONG_COLUMNS
      .replace("ar.name AS artist", "(SELECT ar.name FROM artists ar WHERE ar.id = s.artist_id) AS artist")
      .replace("al.title AS album", "(SELECT al.title FROM albums al WHERE al.id = s.album_id) AS album");
  static final String SONG_FROM = " FROM songs s JOIN artists ar ON ar.id = s.artist_id JOIN albums al ON al.id = s.album_id";

  static final String SONG_BY_ID = "SELECT " + SONG_COLUMNS + SONG_FROM + " WHERE s.id = $1";
  static final String SONG_BY_SHA = "SELECT " + SONG_COLUMNS + SONG_FROM + " WHERE s.sha256 = $1";
  static final String SONGS_OF_ALBUM = "SELECT " + SONG_COLUMNS + SONG_FROM
      + " WHERE s.album_id = $1 ORDER BY s.disc NULLS FIRST, s.track NULLS LAST, s.title";
  // Applying song.added: ids come with the event, so every node writes identical rows; applying it again changes nothing.
  static final String INSERT_ARTIST = "INSERT INTO artists (id, name, name_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
  static final String INSERT_ALBUM =
      "INSERT INTO albums (id, artist_id, title, title_key, year, cover_sha256, cover_type) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          + "ON CONFLICT (id) DO UPDATE SET "
          + "cover_sha256 = coalesce(albums.cover_sha256, EXCLUDED.cover_sha256), "
          + "cover_type = CASE WHEN albums.cover_sha256 IS NULL THEN EXCLUDED.cover_type ELSE albums.cover_type END, "
          + "year = coalesce(albums.year, EXCLUDED.year) "
          + "RETURNING cover_sha256";
  static final String INSERT_SONG =
      "INSERT INTO songs (id, sha256, title, artist_id, album_id, album_artist, track, disc, year, genre, duration_ms, "
          + "bitrate, codec, content_type, size, demo, search_text, created_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING";
  /** The uploader's row in replication's location index, written with the song and with its album's cover (see CatalogEvents). */
  static final String INSERT_LOCATION = "INSERT INTO song_locations (sha256, node_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

  static final String DELETE_SONG = "DELETE FROM songs WHERE id = $1 RETURNING sha256, album_id, artist_id";
  /** Every location row of a blob that goes: the song's, and a cover no album shows any more. */
  static final String DELETE_LOCATIONS = "DELETE FROM song_locations WHERE sha256 = $1";
  static final String DELETE_EMPTY_ALBUM =
      "DELETE FROM albums a WHERE a.id = $1 AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.album_id = a.id) RETURNING cover_sha256";
  static final String DELETE_EMPTY_ARTIST =
      "DELETE FROM artists a WHERE a.id = $1 AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.artist_id = a.id) "
          + "AND NOT EXISTS (SELECT 1 FROM albums al WHERE al.artist_id = a.id)";

  static final String ARTIST_COLUMNS =
      "ar.id, ar.name, (SELECT count(*) FROM albums al WHERE al.artist_id = ar.id) AS album_count, "
          + "(SELECT count(*) FROM songs s WHERE s.artist_id = ar.id) AS song_count";
  /**
   * Browsing by genre and year ($4 genre, any case; years $5 to $6, end excluded; each may be null):
   * an album or artist shows when one of its songs matches.
   */
  private static final String WITH_SONGS_OF = "($4::text IS NULL AND $5::int IS NULL OR EXISTS (SELECT 1 FROM songs s WHERE s.%s "
      + "AND ($4::text IS NULL OR lower(s.genre) = lower($4)) AND ($5::int IS NULL OR s.year >= $5 AND s.year < $6::int)))";
  private static final String ARTIST_WHERE = " WHERE ($1::text IS NULL OR ar.name_key LIKE '%' || $1 || '%') AND "
      + String.format(WITH_SONGS_OF, "artist_id = ar.id");
  /**
   * The page's ids first, then its columns: the per-artist counts of ARTIST_COLUMNS were otherwise
   * computed for every row the OFFSET skips (60 ms for page 11 of 1,000 artists). name_key is unique,
   * so the outer sort gives the same order.
   */
  static final String ARTIST_PAGE = "SELECT " + ARTIST_COLUMNS + " FROM artists ar WHERE ar.id IN (SELECT ar.id FROM artists ar"
      + ARTIST_WHERE + " ORDER BY ar.name_key LIMIT $2 OFFSET $3) ORDER BY ar.name_key";
  /** ARTIST_PAGE's count (see PageTotal), with the same parameters ($2 and $3 unused but typed). */
  static final String ARTIST_COUNT = PageTotal.cappedCount(" FROM artists ar" + ARTIST_WHERE + " AND $2::int IS NOT NULL AND $3::int IS NOT NULL");
  static final String ARTIST_BY_ID = "SELECT " + ARTIST_COLUMNS + " FROM artists ar WHERE ar.id = $1";

  static final String ALBUM_COLUMNS =
      "al.id, al.title, al.artist_id, ar.name AS artist, al.year, al.cover_sha256 IS NOT NULL AS has_cover, "
          + "(SELECT count(*) FROM songs s WHERE s.album_id = al.id) AS song_count";
  static final String ALBUM_FROM = " FROM albums al JOIN artists ar ON ar.id = al.artist_id";
  private static final String ALBUM_WHERE = " WHERE ($1::uuid IS NULL OR al.artist_id = $1) AND "
      + String.format(WITH_SONGS_OF, "album_id = al.id");
  /** Ids first, as ARTIST_PAGE; (name_key, title_key) is unique, so the outer sort gives the same order. */
  static final String ALBUM_PAGE = "SELECT " + ALBUM_COLUMNS + ALBUM_FROM + " WHERE al.id IN (SELECT al.id" + ALBUM_FROM
      + ALBUM_WHERE + " ORDER BY ar.name_key, al.year NULLS LAST, al.title_key LIMIT $2 OFFSET $3) ORDER BY ar.name_key, al.year NULLS LAST, al.title_key";
  /** ALBUM_PAGE's count (see PageTotal), with the same parameters ($2 and $3 unused but typed). */
  static final String ALBUM_COUNT = PageTotal.cappedCount(" FROM albums al" + ALBUM_WHERE + " AND $2::int IS NOT NULL AND $3::int IS NOT NULL");
  static final String ALBUM_BY_ID = "SELECT " + ALBUM_COLUMNS + ALBUM_FROM + " WHERE al.id = $1";
  static final String ALBUM_COVER = "SELECT cover_sha256, cover_type FROM albums WHERE id = $1";
}
