package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The columns a song list can be sorted by, as clients name them ({@code sort=}) and as SQL orders them. */
enum SongSort {
  TITLE("lower(s.title)", false),
  ARTIST("ar.name_key", false),
  ALBUM("al.title_key", false),
  YEAR("s.year", true),
  DURATION("s.duration_ms", false),
  ADDED("s.created_at", false);

  /**
   * Ties are broken the same way on every page and in the id list, down to the id, so paging and
   * play-all see one order.
   */
  static final String TIE_BREAK = "ar.name_key, al.title_key, s.disc NULLS FIRST, s.track NULLS LAST, lower(s.title), s.id";

  private final String expression;
  /**
   * Only a column that can be null says NULLS LAST: on a NOT NULL column the clause changes no
   * order but stops a descending list from walking its index backwards (sort=added&order=desc
   * sorted all 100,000 songs; bench/search.md).
   */
  private final boolean nullable;

  SongSort(String expression, boolean nullable) {
    this.expression = expression;
    this.nullable = nullable;
  }

  String orderBy(boolean descending) {
    return expression + (descending ? " DESC" : " ASC") + (nullable ? " NULLS LAST" : "") + ", " + TIE_BREAK;
  }

  /** null or empty → null (the list's natural order); anything unknown is a 400 naming the allowed values. */
  static SongSort parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String name = raw.trim().toUpperCase(Locale.ROOT);
    for (SongSort sort : values()) {
      if (sort.name().equals(name)) {
        return sort;
      }
    }
    throw ServiceException.badRequest("sort must be one of " + allowed() + ", got '" + shorten(raw) + "'");
  }

  /** asc (the default) or desc. */
  static boolean descending(String raw) {
    if (raw == null || raw.isBlank() || raw.trim().equalsIgnoreCase("asc")) {
      return false;
    }
    if (raw.trim().equalsIgnoreCase("desc")) {
      return true;
    }
    throw ServiceException.badRequest("order must be asc or desc, got '" + shorten(raw) + "'");
  }

  static String allowed() {
    return Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }

  private static String shorten(String raw) {
    return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
  }
}
