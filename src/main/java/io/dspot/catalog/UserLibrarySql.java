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

  /**
   * The caller's marks on a page of songs: per song one probe of each primary key that starts
   * with (user_id, song_id) (favourite, rating, play count), so a page costs a few hundred index
   * lookups whatever the size of the library or of other users' data.
   */
  static final String SONG_MARKS = "SELECT s.id, f.starred_at IS NOT NULL AS starred, coalesce(r.rating, 0) AS rating,"
      + " coalesce(pc.plays, 0) AS play_count, f.starred_at, pc.last_played FROM unnest($2::uuid[]) AS s(id)"
      + " LEFT JOIN favourite_songs f ON f.user_id = $1 AND f.song_id = s.id"
      + " LEFT JOIN ratings r ON r.user_id = $1 AND r.song_id = s.id"
      + " LEFT JOIN play_counts pc ON pc.user_id = $1 AND pc.song_id = s.id";

  static final String FAVOURITE_SONGS = "SELECT " + SongSql.SONG_COLUMNS + ", count(*) OVER () AS total" + SongSql.SONG_FROM
      + " JOIN favourite_songs f ON f.song_id = s.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, s.id LIMIT $2 OFFSET $3";
  static final String FAVOURITE_ALBUMS = "SELECT " + SongSql.ALBUM_COLUMNS + ", count(*) OVER () AS total" + SongSql.ALBUM_FROM
      + " JOIN favourite_albums f ON f.album_id = al.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, al.id LIMIT $2 OFFSET $3";
  static final String FAVOURITE_ARTISTS = "SELECT " + SongSql.ARTIST_COLUMNS + ", count(*) OVER () AS total FROM artists ar"
      + " JOIN favourite_artists f ON f.artist_id = ar.id WHERE f.user_id = $1 ORDER BY f.starred_at DESC, ar.id LIMIT $2 OFFSET $3";
  static final String COUNT_FAVOURITE_SONGS = "SELECT count(*) FROM favourite_songs WHERE user_id = $1";
  static final String COUNT_FAVOURITE_ALBUMS = "SELECT count(*) FROM favourite_albums WHERE user_id = $1";
  static final String COUNT_FAVOURITE_ARTISTS = "SELECT count(*) FROM favourite_artists WHERE user_id = $1";

  /**
   * The caller's marks on the song {@code s} of each row as columns ({@code $n} the caller): one
   * probe of each primary key that starts with (user_id, song_id), as {@link #SONG_MARKS}, read by
   * {@link UserMarks#putSongMarks}. Scalar subqueries, not joins: a generic plan does not know how
   * many rows a page has (it guessed 2,000 for a LIMIT of 51) and hashed the caller's every
   * favourite and rating for a join; a subquery is a probe per row whatever the plan, and after a
   * sort with a LIMIT only the page's rows run it.
   */
  static String songMarkColumns(int caller) {
    return String.format(", (SELECT f.starred_at FROM favourite_songs f WHERE f.user_id = $%1$d AND f.song_id = s.id) AS starred_at,"
        + " (SELECT r.rating FROM ratings r WHERE r.user_id = $%1$d AND r.song_id = s.id) AS rating,"
        + " (SELECT pc.plays FROM play_counts pc WHERE pc.user_id = $%1$d AND pc.song_id = s.id) AS play_count,"
        + " (SELECT pc.last_played FROM play_counts pc WHERE pc.user_id = $%1$d AND pc.song_id = s.id) AS last_played", caller);
  }

  /** The caller's plays in all: one row of play_totals (V13), kept by triggers on plays. */
  static final String COUNT_HISTORY = "SELECT coalesce((SELECT plays FROM play_totals WHERE user_id = $1), 0)";
  /**
   * The page walks plays_user_time to the page and probes only its songs; the total is one row of
   * play_totals, and the caller's marks come with each song, so a page is one statement. Counting
   * the caller's plays beside it read every one of them (20,000 at 100,000 songs: 4-40 ms), and a
   * window count over the joined plays joined them all first (440 ms). The artist's and album's
   * names are probes too (see songMarkColumns): the generic plan hashed all 10,000 albums for 51 rows.
   */
  static final String HISTORY = "SELECT p.id AS play_id, p.played_at, " + SongSql.SONG_COLUMNS_PROBED + songMarkColumns(1)
      + ", (" + COUNT_HISTORY + ") AS total FROM (SELECT id, song_id, played_at FROM plays WHERE user_id = $1"
      + " ORDER BY played_at DESC, id LIMIT $2 OFFSET $3) p JOIN songs s ON s.id = p.song_id ORDER BY p.played_at DESC, p.id";

  /*
   * The home view's shelves (HomeStore), each one statement with the caller's marks as columns ($1
   * the caller) and the shelf's length a constant: a LIMIT as a parameter kept PostgreSQL on custom
   * plans (0.2-0.3 ms of planning per statement and request), and the marks read after the shelves
   * were a second round of two statements.
   */
  private static final String ALBUM_STARRED = FavouriteKind.ALBUMS.starredAtColumn("al", 1);

  /** Albums of the newest songs: walks songs_created from the top, never the whole table. */
  static final String RECENTLY_ADDED = "SELECT " + SongSql.ALBUM_COLUMNS + ALBUM_STARRED + SongSql.ALBUM_FROM
      + " JOIN (SELECT album_id, max(created_at) AS added FROM (SELECT album_id, created_at FROM songs ORDER BY created_at DESC LIMIT "
      + HomeStore.NEWEST_SONGS + ") newest"
      + " GROUP BY album_id ORDER BY added DESC LIMIT " + HomeStore.SHELF + ") n ON n.album_id = al.id ORDER BY n.added DESC, al.id";
  /** Albums the caller played last: walks album_play_counts_recent from the top (PlayCounts). */
  static final String RECENTLY_PLAYED = "SELECT " + SongSql.ALBUM_COLUMNS + ALBUM_STARRED + SongSql.ALBUM_FROM
      + " JOIN (SELECT album_id, last_played FROM album_play_counts WHERE user_id = $1 ORDER BY last_played DESC LIMIT " + HomeStore.SHELF
      + ") r ON r.album_id = al.id ORDER BY r.last_played DESC, al.id";
  /** The caller's most played songs: walks play_counts_most from the top (PlayCounts). */
  static final String MOST_PLAYED = "SELECT " + SongSql.SONG_COLUMNS + songMarkColumns(1) + SongSql.SONG_FROM
      + " JOIN (SELECT song_id, plays, last_played FROM play_counts WHERE user_id = $1 ORDER BY plays DESC, last_played DESC, song_id"
      + " LIMIT " + HomeStore.SHELF + ") m ON m.song_id = s.id ORDER BY m.plays DESC, m.last_played DESC, s.id";
  /**
   * Up to this many albums are shuffled whole (ORDER BY random() over their ids, about 0.1 ms);
   * above, the shelf is drawn by probes.
   */
  static final int SHUFFLE_AT_MOST = 1000;
  private static final int PROBES = 3 * HomeStore.SHELF;
  /**
   * Random albums without reading every album: a library of up to SHUFFLE_AT_MOST albums is
   * shuffled whole; a larger one gets PROBES random points in the id space (ids are random UUIDs),
   * each taking the first album at or after it from albums_pkey (one index probe), the distinct
   * ones in the order drawn. Sorting every album's id by random() read the whole table: 10,000
   * albums 1.0-1.5 ms a request at 100,000 songs, 100,000 albums at 1,000,000 (bench/search.md).
   * A probe's album is the one after a gap of random length, so the draw is not exactly uniform
   * (an album after a wider gap comes up a few times as often); three probes per place make a
   * short shelf (two probes on one album) as unlikely as never in practice.
   */
  static final String RANDOM_ALBUMS = "SELECT " + SongSql.ALBUM_COLUMNS + ALBUM_STARRED + SongSql.ALBUM_FROM
      + " JOIN unnest(CASE WHEN NOT EXISTS (SELECT 1 FROM albums OFFSET " + SHUFFLE_AT_MOST + ")"
      + " THEN ARRAY(SELECT id FROM albums ORDER BY random() LIMIT " + HomeStore.SHELF + ")"
      + " ELSE ARRAY(SELECT id FROM (SELECT DISTINCT ON (hit.id) hit.id, probe.n FROM (SELECT n, gen_random_uuid() AS at FROM generate_series(1, "
      + PROBES + ") n) probe CROSS JOIN LATERAL (SELECT id FROM albums WHERE id >= probe.at ORDER BY id LIMIT 1) hit"
      + " ORDER BY hit.id, probe.n) drawn ORDER BY n LIMIT " + HomeStore.SHELF + ") END) WITH ORDINALITY AS picked(id, n)"
      + " ON picked.id = al.id ORDER BY picked.n";
}
