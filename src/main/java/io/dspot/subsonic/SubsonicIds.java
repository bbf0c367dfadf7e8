package io.dspot.subsonic;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import java.util.UUID;

/**
 * Our UUIDs with a type prefix ({@code ar-}, {@code al-}, {@code tr-}, {@code pl-}), so an id of one
 * kind passed where another is expected is "not found" (70), never another row or a 500.
 */
enum SubsonicIds {
  ARTIST("ar-", "artist"),
  ALBUM("al-", "album"),
  SONG("tr-", "song"),
  PLAYLIST("pl-", "playlist");

  final String prefix;
  final String what;

  SubsonicIds(String prefix, String what) {
    this.prefix = prefix;
    this.what = what;
  }

  String of(String uuid) {
    return uuid == null ? null : prefix + uuid;
  }

  /** The UUID of an id of this kind; 70 for an id of another kind or none at all. */
  UUID parse(String id) {
    if (id == null || !id.startsWith(prefix)) {
      throw SubsonicError.notFound("no " + what + " with id " + shorten(id));
    }
    try {
      return Ids.parse(id.substring(prefix.length()), what);
    } catch (ServiceException malformed) {
      throw SubsonicError.notFound("no " + what + " with id " + shorten(id));
    }
  }

  /** The kind an id claims by its prefix, or null. */
  static SubsonicIds kindOf(String id) {
    for (SubsonicIds kind : values()) {
      if (id != null && id.startsWith(kind.prefix)) {
        return kind;
      }
    }
    return null;
  }

  private static String shorten(String id) {
    return id == null ? "(none)" : id.length() > 60 ? id.substring(0, 60) + "…" : id;
  }
}
