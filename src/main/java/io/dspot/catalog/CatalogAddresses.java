package io.dspot.catalog;

/** Event-bus addresses of the catalog module; bodies are JSON objects, see each line. */
public final class CatalogAddresses {
  private CatalogAddresses() {}

  /** {@link SongDraft} → {song, duplicate}. */
  public static final String SONG_ADD = "catalog.song.add";
  /** {id} → song. */
  public static final String SONG_GET = "catalog.song.get";
  /** {q?, limit, offset} → page of songs. */
  public static final String SONG_LIST = "catalog.song.list";
  /**
   * Published locally on every node once it applied a song's addition (the event's payload): the
   * cue for replication to copy the new blob.
   */
  public static final String SONG_ADDED = io.dspot.log.LogAddresses.APPLIED_PREFIX + CatalogEvents.SONG_ADDED;
  /** {id} → {@link SongDeleted}; every node then publishes {@link #SONG_DELETED}. */
  public static final String SONG_DELETE = "catalog.song.delete";
  /**
   * Published locally on every node once it applied a song's deletion: {@link SongDeleted}. The
   * catalog itself then tells storage ({@code StorageAddresses.DELETE_BLOBS}) to drop the bytes.
   */
  public static final String SONG_DELETED = io.dspot.log.LogAddresses.APPLIED_PREFIX + CatalogEvents.SONG_DELETED;

  public static final String ARTIST_LIST = "catalog.artist.list";
  public static final String ARTIST_GET = "catalog.artist.get";
  /** {artistId?, limit, offset}. */
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
}
