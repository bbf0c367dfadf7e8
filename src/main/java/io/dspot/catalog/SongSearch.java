package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Search words: every word of the query must occur somewhere (title, artist, album; genre and year
 * too, see {@link SongQuery}), as a prefix, infix or whole word, in any case. The trigram index on
 * {@code songs.search_text} serves the LIKEs.
 */
final class SongSearch {
  static final int MAX_WORDS = 8;
  static final int MAX_QUERY = 200;

  private SongSearch() {}

  /** Lower-cased text the index holds for one song. */
  static String searchText(String title, String artist, String album, String albumArtist) {
    return String.join(" ", title, artist, album, albumArtist == null ? "" : albumArtist).toLowerCase(Locale.ROOT);
  }

  static List<String> words(String q) {
    if (q.length() > MAX_QUERY) {
      throw ServiceException.badRequest("search query longer than " + MAX_QUERY + " characters");
    }
    List<String> words = new ArrayList<>();
    for (String w : q.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      if (!w.isEmpty() && words.size() < MAX_WORDS) {
        words.add(w);
      }
    }
    return words;
  }

  static String escapeLike(String w) {
    return w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /**
   * The least text greater than every text that starts with {@code prefix} in byte (code point)
   * order: the prefix with its last character raised by one. Texts that start with the prefix are
   * exactly those from the prefix up to, not including, this.
   */
  static String pastPrefix(String prefix) {
    int last = prefix.offsetByCodePoints(prefix.length(), -1);
    int next = prefix.codePointAt(last) + 1;
    if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
      next = Character.MAX_SURROGATE + 1;
    }
    return prefix.substring(0, last) + new String(Character.toChars(Math.min(next, Character.MAX_CODE_POINT)));
  }
}
