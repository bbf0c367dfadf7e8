package io.dspot.catalog;

/** Event-bus addresses of the catalog module; bodies are JSON objects, see each line. */
public final class CatalogAddresses {
  private CatalogAddresses() {}

  /** {@link SongDraft} → {song, duplicate}. */
  public static final String SONG_ADD = "catalog.song.add";
  /**
   * {songs: [{@link SongDraft}...] (at most 500)} → {items: [{id, duplicate}...]} in that order: one
   * ordered-log record for the whole batch, all or nothing.
   */
  public static final String SONGS_ADD = "catalog.songs.add";
  /** {id} → song. */
  public static final String SONG_GET = "catalog.song.get";
  /**
   * {limit, offset or {@link #AFTER}, and the {@link #SONG_FILTERS}, {@link #EXACT_TOTAL}?} → page of
   * songs: {items, total, totalExact, hasMore, next?, limit, offset?}; total exact up to 1000 matches,
   * a lower bound above.
   */
  public static final String SONG_LIST = "catalog.song.list";
  /** The cursor of a page's last song ({@code next} in the page): the song list after it (keyset paging; not with a relevance search). */
  public static final String AFTER = SongCursor.AFTER;
  /** true: count every match for {@code total} (costs a full count; for callers that report the number). */
  public static final String EXACT_TOTAL = "exactTotal";
  /**
   * true: count nothing beside the page (song, artist and album lists); {@code total} is then exact only
   * where the page itself tells, else a lower bound. For callers that never show it (Subsonic).
   */
  public static final String UNCOUNTED = "uncounted";
  /**
   * The keys of a song list's filter and order, each a raw string as the client sent it: q, genre,
   * year, decade, artistId, sort (title|artist|album|year|duration|added), order (asc|desc).
   */
  public static final java.util.List<String> SONG_FILTERS = SongFilter.KEYS;
  /** {the {@link #SONG_FILTERS}} → {ids: [...] in the list's order, truncated}. */
  public static final String SONG_IDS = "catalog.song.ids";
  /** {ids: "id,id,..."} → {items: songs in that order}. */
  public static final String SONG_BATCH = "catalog.song.batch";
  /** {limit, offset, the {@link #SONG_FILTERS} with q} → {songs: page, albums: [...], artists: [...]}. */
  public static final String SEARCH = "catalog.search";
  /** {} → {items: [{name, songCount, albumCount}]} by name. */
  public static final String GENRE_LIST = "catalog.genre.list";
  /** {} → {items: [{decade, songCount, albumCount, years: [{year, songCount, albumCount}]}]}. */
  public static final String YEAR_LIST = "catalog.year.list";
  /**
   * Published locally on every node once it applied a song's addition (the event's payload): the
   * cue for replication to copy the new blob.
   */
  public static final String SONG_ADDED = io.dspot.log.LogAddresses.APPLIED_PREFIX + CatalogEvents.SONG_ADDED;
  /** As {@link #SONG_ADDED}, for a batch: {songs: [the payload of a song.added...]}. */
  public static final String SONGS_ADDED = io.dspot.log.LogAddresses.APPLIED_PREFIX + CatalogEvents.SONGS_ADDED;
  /** {id} → {@link SongDeleted}; every node then publishes {@link #SONG_DELETED}. */
  public static final String SONG_DELETE = "catalog.song.delete";
  /**
   * Published locally on every node once it applied a song's deletion: {@link SongDeleted}. The
   * catalog itself then tells storage ({@code StorageAddresses.DELETE_BLOBS}) to drop the bytes.
   */
  public static final String SONG_DELETED = io.dspot.log.LogAddresses.APPLIED_PREFIX + CatalogEvents.SONG_DELETED;

  public static final String ARTIST_LIST = "catalog.artist.list";
  public static final String ARTIST_GET = "catalog.artist.get";
  /** {artistId?, genre?, year?, decade?, limit, offset}; artists take q, genre, year, decade. */
  public static final String ALBUM_LIST = "catalog.album.list";
  public static final String ALBUM_GET = "catalog.album.get";
  /** {id} → {sha256, contentType}; 404 when the album has no cover. */
  public static final String ALBUM_COVER = "catalog.album.cover";

  /**
   * {order: artist|name|newest|random, artistId?, q? (album title fragment), limit, offset} → page of
   * albums, each also with duration (s), createdAt (its newest song's) and genre (most common).
   */
  public static final String ALBUM_BROWSE = "catalog.album.browse";
  /** {limit, genre? (any case), fromYear?, toYear?} → {items}: songs in random order. */
  public static final String SONG_RANDOM = "catalog.song.random";

  /** Playlists: every body carries callerId; only the owner sees or changes a playlist. */
  public static final String PLAYLIST_LIST = "catalog.playlist.list";
  public static final String PLAYLIST_CREATE = "catalog.playlist.create";
  public static final String PLAYLIST_GET = "catalog.playlist.get";
  public static final String PLAYLIST_UPDATE = "catalog.playlist.update";
  public static final String PLAYLIST_DELETE = "catalog.playlist.delete";

  /*
   * The listener's own library (issue 11): every body carries callerId, and one's data is never
   * shown to another. Listings above mark their songs (starred, rating, playCount) and albums and
   * artists (starred) for the callerId they carry.
   */
  /** {callerId, kind: songs|albums|artists, id} → {kind, id, starred, starredAt}; idempotent. */
  public static final String FAVOURITE_STAR = "catalog.favourite.star";
  /** {callerId, kind, id} → nothing; idempotent. */
  public static final String FAVOURITE_UNSTAR = "catalog.favourite.unstar";
  /** {callerId, kind?, limit, offset} → {songs, albums, artists} pages (one page when kind is given), newest first. */
  public static final String FAVOURITE_LIST = "catalog.favourite.list";
  /** {callerId, id (song), rating 1..5} → {songId, rating}. */
  public static final String RATING_SET = "catalog.rating.set";
  /** {callerId, id (song)} → nothing. */
  public static final String RATING_CLEAR = "catalog.rating.clear";
  /** {callerId, songId, playedAt? (epoch ms, default now)} → {id, songId, playedAt}: a scrobble. */
  public static final String PLAY_RECORD = "catalog.play.record";
  /** {callerId, limit, offset} → page of {id, playedAt, song}, newest first. */
  public static final String PLAY_HISTORY = "catalog.play.history";
  /** {callerId} → {recentlyAdded, recentlyPlayed, mostPlayed, randomAlbums}. */
  public static final String HOME = "catalog.home";
  /**
   * {callerId} → {songs: [...], current (song id or null), position (ms), changedBy, changedAt}:
   * the caller's play queue, shared by their devices (empty when none was saved).
   */
  public static final String PLAY_QUEUE_GET = "catalog.playqueue.get";
  /** {callerId, songIds: [...] (empty clears), current?, position? (ms), changedBy?} → the saved queue. */
  public static final String PLAY_QUEUE_SAVE = "catalog.playqueue.save";
}
