package io.dspot.catalog;

import io.dspot.bus.ServiceException;

/**
 * What a listener can star, each in its own table so that a real foreign key takes the star away
 * with the item. {@code path} is the name in URLs and JSON ({@code /api/favourites/songs/:id}).
 */
enum FavouriteKind {
  SONGS("songs", "song", "favourite_songs", "song_id", "songs"),
  ALBUMS("albums", "album", "favourite_albums", "album_id", "albums"),
  ARTISTS("artists", "artist", "favourite_artists", "artist_id", "artists");

  final String path;
  /** The singular, for messages ("no song with id …"). */
  final String noun;
  final String itemExists;
  final String starredAt;
  /** Applying a star: a no-op when the item or user went in the meantime, or when already starred. */
  final String insert;
  final String delete;
  /** Which of a page's ids the caller starred: one probe of the primary key per id. */
  final String starredAmong;
  /** starredAmong as a column of a query over the items ({@code %1$s} the item's alias, {@code $%2$d} the caller): see {@link #starredAtColumn}. */
  private final String starredAtColumn;

  FavouriteKind(String path, String noun, String table, String column, String items) {
    this.path = path;
    this.noun = noun;
    this.itemExists = "SELECT 1 FROM " + items + " WHERE id = $1";
    this.starredAt = "SELECT starred_at FROM " + table + " WHERE user_id = $1 AND " + column + " = $2";
    this.insert = "INSERT INTO " + table + " (user_id, " + column + ", starred_at) SELECT $1, $2, $3"
        + " WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) AND EXISTS (SELECT 1 FROM " + items + " WHERE id = $2)"
        + " ON CONFLICT DO NOTHING";
    this.delete = "DELETE FROM " + table + " WHERE user_id = $1 AND " + column + " = $2";
    this.starredAmong = "SELECT " + column + ", starred_at FROM " + table + " WHERE user_id = $1 AND " + column + " = ANY($2)";
    this.starredAtColumn = ", (SELECT f.starred_at FROM " + table + " f WHERE f.user_id = $%2$d AND f." + column + " = %1$s.id) AS starred_at";
  }

  /**
   * When the caller ({@code $caller}) starred the item {@code alias} of each row, null if not: a
   * probe of the primary key per row, read with the rows (UserMarks.putStarred) instead of by
   * starredAmong after them.
   */
  String starredAtColumn(String alias, int caller) {
    return String.format(starredAtColumn, alias, caller);
  }

  static FavouriteKind parse(String path) {
    for (FavouriteKind kind : values()) {
      if (kind.path.equals(path)) {
        return kind;
      }
    }
    throw ServiceException.badRequest("unknown kind of favourite '" + (path == null ? "" : path.length() > 40 ? path.substring(0, 40) + "…" : path)
        + "': songs, albums or artists");
  }
}
