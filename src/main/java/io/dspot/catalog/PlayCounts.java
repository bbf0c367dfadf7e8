package io.dspot.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A listener's play counts per song and per album (tables of V11), kept by the appliers, so that
 * most played, frequent and recent read a row or an index instead of summing every play of the
 * caller (bench/search.md). A play adds one to its song's and its album's count in the very
 * statement that records it, and only if it records it: a play event applied again (its id is
 * already there) counts nothing. A song's deletion takes its counts along (ON DELETE CASCADE) and
 * recounts its album from the songs left.
 */
final class PlayCounts {
  private PlayCounts() {}

  private static final String ADD_ONE = " ON CONFLICT (user_id, %1$s) DO UPDATE SET plays = %2$s.plays + 1,"
      + " last_played = greatest(%2$s.last_played, EXCLUDED.last_played)";

  /** $1 play id, $2 user, $3 song, $4 played at; a user or song deleted earlier in the order makes it a no-op. */
  static final String RECORD_PLAY = "WITH play AS (INSERT INTO plays (id, user_id, song_id, played_at) SELECT $1, $2, $3, $4"
      + " WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) AND EXISTS (SELECT 1 FROM songs WHERE id = $3)"
      + " ON CONFLICT (id) DO NOTHING RETURNING user_id, song_id, played_at),"
      + " song AS (INSERT INTO play_counts (user_id, song_id, plays, last_played) SELECT user_id, song_id, 1, played_at FROM play"
      + String.format(ADD_ONE, "song_id", "play_counts") + ")"
      + " INSERT INTO album_play_counts (user_id, album_id, plays, last_played)"
      + " SELECT p.user_id, s.album_id, 1, p.played_at FROM play p JOIN songs s ON s.id = p.song_id"
      + String.format(ADD_ONE, "album_id", "album_play_counts");

  static final String FORGET_ALBUM = "DELETE FROM album_play_counts WHERE album_id = $1";
  /** The album's counts from its songs' (after one of them went). */
  static final String COUNT_ALBUM = "INSERT INTO album_play_counts (user_id, album_id, plays, last_played)"
      + " SELECT pc.user_id, s.album_id, sum(pc.plays), max(pc.last_played) FROM songs s JOIN play_counts pc ON pc.song_id = s.id"
      + " WHERE s.album_id = $1 GROUP BY pc.user_id, s.album_id";

  static Future<Void> recordPlay(SqlConnection tx, UUID id, UUID user, UUID song, java.time.OffsetDateTime at) {
    return tx.preparedQuery(RECORD_PLAY).execute(Tuple.of(id, user, song, at)).mapEmpty();
  }

  /** After a song of the album was deleted (its own counts went with it). */
  static Future<Void> recountAlbum(SqlConnection tx, UUID album) {
    return tx.preparedQuery(FORGET_ALBUM).execute(Tuple.of(album))
        .compose(v -> tx.preparedQuery(COUNT_ALBUM).execute(Tuple.of(album))).mapEmpty();
  }
}
