package io.dspot.catalog;

/**
 * SQL of the listener's own library: favourites, ratings and plays (tables of V4). Every read is
 * filtered by the caller first and served by an index that starts with user_id.
 */
final class UserLibrarySql {
  private UserLibrarySql() {}

  static final String SONG_EXISTS = "SELECT 1 FROM songs WHERE id = $1";
  static final String RATING_OF = "SELECT rating FROM ratings WHERE user_id = $1 AND song_id = $2";

  // Appliers: ids and times come with the event; a user or song deleted earlier in the order makes them no-ops.
  static final String UPSERT_RATING = "INSERT INTO ratings (user_id, song_id, rating, rated_at) SELECT $1, $2, $3, $4"
      + " WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) AND EXISTS (SELECT 1 FROM songs WHERE id = $2)"
      + " ON CONFLICT (user_id, song_id) DO UPDATE SET rating = EXCLUDED.rating, rated_at = EXCLUDED.rated_at";
  static final String DELETE_RATING = "DELETE FROM ratings WHERE user_id = $1 AND song_id = $2";
  static final String INSERT_PLAY = "INSERT INTO plays (id, user_id, song_id, played_at) SELECT $1, $2, $3, $4"
      + " WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) AND EXISTS (SELECT 1 FROM songs WHERE id = $3)"
      + " ON CONFLICT (id) DO NOTHING";

  /**
   * The caller's marks on a page of songs. Each column is one probe per song of an index that
   * starts with (user_id, song_id): the favourite's and the rating's primary keys, and
   * plays_user_song (an index-only count of that listener's plays of that song), so a page costs
   * a few hundred index lookups whatever the size of the library or of other users' data.
   */
  static final String SONG_MARKS = "SELECT s.id,"
      + " EXISTS (SELECT 1 FROM favourite_songs f WHERE f.user_id = $1 AND f.song_id = s.id) AS starred,"
      + " coalesce((SELECT r.rating FROM ratings r WHERE r.user_id = $1 AND r.song_id = s.id), 0) AS rating,"
      + " (SELECT count(*) FROM plays p WHERE p.user_id = $1 AND p.song_id = s.id) AS play_count,"
      + " (SELECT f.starred_at FROM favourite_songs f WHERE f.user_id = $1 AND f.song_id = s.id) AS starred_at,"
      + " (SELECT max(p.played_at) FROM plays p WHERE p.user_id = $1 AND p.song_id = s.id) AS last_played"
      + " FROM unnest($2::uuid[]) AS s(id)";

  static final String FAVOURITE_SONGS = "SELECT " + SongSql.SONG_COLUMNS + ", count(*) OVER () AS total" + SongSql.SONG_FROM
      + " JOIN favourite_songs f ON f.song_id = s.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, s.id LIMIT $2 OFFSET $3";
  static final String FAVOURITE_ALBUMS = "SELECT " + SongSql.ALBUM_COLUMNS + ", count(*) OVER () AS total" + SongSql.ALBUM_FROM
      + " JOIN favourite_albums f ON f.album_id = al.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, al.id LIMIT $2 OFFSET $3";
  static final String FAVOURITE_ARTISTS = "SELECT " + SongSql.ARTIST_COLUMNS + ", count(*) OVER () AS total FROM artists ar"
      + " JOIN favourite_artists f ON f.artist_id = ar.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, ar.id LIMIT $2 OFFSET $3";
  static final String COUNT_FAVOURITE_SONGS = "SELECT count(*) FROM favourite_songs WHERE user_id = $1";
  static final String COUNT_FAVOURITE_ALBUMS = "SELECT count(*) FROM favourite_albums WHERE user_id = $1";
  static final String COUNT_FAVOURITE_ARTISTS = "SELECT count(*) FROM favourite_artists WHERE user_id = $1";

  static final String HISTORY = "SELECT p.id AS play_id, p.played_at, " + SongSql.SONG_COLUMNS + ", count(*) OVER () AS total"
      + SongSql.SONG_FROM + " JOIN plays p ON p.song_id = s.id WHERE p.user_id = $1 ORDER BY p.played_at DESC, p.id LIMIT $2 OFFSET $3";
  static final String COUNT_HISTORY = "SELECT count(*) FROM plays WHERE user_id = $1";

  /** Albums of the newest songs: walks songs_created from the top, never the whole table. */
  static final String RECENTLY_ADDED = "SELECT " + SongSql.ALBUM_COLUMNS + SongSql.ALBUM_FROM
      + " JOIN (SELECT album_id, max(created_at) AS added FROM (SELECT album_id, created_at FROM songs ORDER BY created_at DESC LIMIT "
      + HomeStore.NEWEST_SONGS + ") newest"
      + " GROUP BY album_id ORDER BY added DESC LIMIT $1) n ON n.album_id = al.id ORDER BY n.added DESC, al.id";
  /** Albums of the caller's last plays: walks plays_user_time from the top. */
  static final String RECENTLY_PLAYED = "SELECT " + SongSql.ALBUM_COLUMNS + SongSql.ALBUM_FROM
      + " JOIN (SELECT s.album_id, max(p.played_at) AS last FROM (SELECT song_id, played_at FROM plays WHERE user_id = $1"
      + " ORDER BY played_at DESC LIMIT 2000) p JOIN songs s ON s.id = p.song_id GROUP BY s.album_id ORDER BY last DESC LIMIT $2) r"
      + " ON r.album_id = al.id ORDER BY r.last DESC, al.id";
  /** Counts the caller's plays only (plays_user_song): one listener's plays, not everyone's. */
  static final String MOST_PLAYED = "SELECT " + SongSql.SONG_COLUMNS + SongSql.SONG_FROM
      + " JOIN (SELECT song_id, count(*) AS n, max(played_at) AS last FROM plays WHERE user_id = $1 GROUP BY song_id"
      + " ORDER BY n DESC, last DESC LIMIT $2) m ON m.song_id = s.id ORDER BY m.n DESC, m.last DESC, s.id";
  /** A scan of albums (one row per album, not per song): cheap at the size of a home library. */
  static final String RANDOM_ALBUMS = "SELECT " + SongSql.ALBUM_COLUMNS + SongSql.ALBUM_FROM + " ORDER BY random() LIMIT $1";
}
