package io.dspot.catalog;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * Which songs a list, an id list or a search answers, and in which order, as the web layer passes
 * them on (raw query-parameter strings); every bad value is a 400 naming the parameter.
 *
 * @param words search words ({@code q}); each must occur in title, artist, album, genre or year
 * @param genre exact genre, any case
 * @param yearFrom first year included ({@code year=} or {@code decade=})
 * @param yearTo first year no longer included
 * @param sort null for the natural order: by relevance when searching, else artist, album, track
 */
record SongFilter(List<String> words, String genre, Integer yearFrom, Integer yearTo, UUID artistId, SongSort sort,
    boolean descending) {

  static final int MAX_YEAR = 9999;
  static final int MAX_GENRE = 200;

  static final String Q = "q";
  static final String GENRE = "genre";
  static final String YEAR = "year";
  static final String DECADE = "decade";
  static final String ARTIST_ID = "artistId";
  static final String SORT = "sort";
  static final String ORDER = "order";
  /** Every key {@link #fromJson} reads: the web layer copies these query parameters into the message. */
  static final List<String> KEYS = List.of(Q, GENRE, YEAR, DECADE, ARTIST_ID, SORT, ORDER);

  static SongFilter fromJson(JsonObject body) {
    String q = body.getString(Q);
    String genre = blankToNull(body.getString(GENRE));
    if (genre != null && genre.length() > MAX_GENRE) {
      throw ServiceException.badRequest("genre longer than " + MAX_GENRE + " characters");
    }
    Integer year = whole(body.getString(YEAR), YEAR);
    Integer decade = whole(body.getString(DECADE), DECADE);
    if (year != null && decade != null) {
      throw ServiceException.badRequest("give year or decade, not both");
    }
    if (decade != null && decade % 10 != 0) {
      throw ServiceException.badRequest("decade must be a multiple of 10 (e.g. 1990), got " + decade);
    }
    String artist = blankToNull(body.getString(ARTIST_ID));
    return new SongFilter(q == null ? List.of() : SongSearch.words(q), genre,
        year != null ? year : decade,
        year != null ? Integer.valueOf(year + 1) : decade != null ? Integer.valueOf(decade + 10) : null,
        artist == null ? null : Ids.parse(artist, "artist"),
        SongSort.parse(body.getString(SORT)), SongSort.descending(body.getString(ORDER)));
  }

  private static Integer whole(String raw, String name) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < 0 || value > MAX_YEAR) {
        throw ServiceException.badRequest(name + " must be between 0 and " + MAX_YEAR + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ServiceException.badRequest(name + " must be a whole number, got '" + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
