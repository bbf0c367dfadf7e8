package io.dspot.catalog;

import io.dspot.log.OrderedCommand;
import io.dspot.log.OrderedCommand.DecideKey;
import java.util.UUID;

/**
 * The listener's own writes, one family of commands the token holder may decide ahead together
 * (see {@link OrderedCommand.DecideKey}): a batch of renames of different playlists costs one
 * round trip to decide instead of one per rename.
 *
 * <p>Why the family keeps the promise (what each decide reads, what each applier writes):
 * <pre>
 * command                  key                     decide reads                             applier writes
 * playlist create/update   playlist id             playlists + playlist_songs of the id,    playlists + playlist_songs of the id
 *                                                  songs (ids exist)
 * playlist delete          playlist id             playlists + playlist_songs of the id     playlists of the id (cascade: its songs)
 * star, unstar             user, kind, item        songs/albums/artists (item exists),      favourite_&lt;kind&gt; of (user, item)
 *                                                  favourite_&lt;kind&gt; of (user, item)
 * rate, clear rating       user, song              songs, ratings of (user, song)           ratings of (user, song)
 * play                     play id (new)           songs                                    plays, play_counts, album_play_counts,
 *                                                                                           play_totals (trigger)
 * play queue save          user                    songs                                    play_queues of the user
 * </pre>
 * Every decide reads rows of its own key or tables no applier of the family writes (songs,
 * albums, artists; the appliers' {@code EXISTS} checks on users and songs are reads, not writes),
 * and no table here has a constraint across keys (playlist names are not unique). A new command
 * joins the family only if its row fits this table; one that reads anything else, or whose
 * applier writes a table some decide above reads, stays without a key (decided alone).
 */
final class ListenerWrites {

  static final String FAMILY = "catalog.listener";

  private ListenerWrites() {}

  static OrderedCommand playlist(UUID id, OrderedCommand command) {
    return keyed("playlist " + id, command);
  }

  static OrderedCommand star(UUID user, FavouriteKind kind, UUID item, OrderedCommand command) {
    return keyed("star " + user + " " + kind.path + " " + item, command);
  }

  static OrderedCommand rating(UUID user, UUID song, OrderedCommand command) {
    return keyed("rating " + user + " " + song, command);
  }

  static OrderedCommand play(UUID playId, OrderedCommand command) {
    return keyed("play " + playId, command);
  }

  static OrderedCommand playQueue(UUID user, OrderedCommand command) {
    return keyed("queue " + user, command);
  }

  private static OrderedCommand keyed(String key, OrderedCommand command) {
    return OrderedCommand.keyed(new DecideKey(FAMILY, key), command);
  }
}
