package io.dspot.catalog;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * SQL for one {@link SongFilter}: a page of songs, their count, or just their ids in the same
 * order. Every value goes in as a parameter; only fixed fragments are concatenated.
 */
final class SongQuery {

  /**
   * A word matches the song's text (title, artist, album, album artist), its genre or its year: one
   * LIKE over the three, the expression of the trigram index songs_words_trgm (V9), character for
   * character (a word holds no space, so it never matches across the separators).
   */
  static final String WORDS = "(s.search_text || ' ' || coalesce(lower(s.genre), '') || ' ' || coalesce(s.year::text, ''))";
  private static final String WORD = WORDS + " LIKE $%1$d";
  private static final String NATURAL_ORDER = SongSort.TIE_BREAK;

  record Sql(String text, Tuple params) {}

  private final SongFilter filter;
  private final Tuple params = Tuple.tuple();
  private final String where;

  private SongQuery(SongFilter filter) {
    this(filter, true);
  }

  /** {@code withWords} false leaves the search words out (a title that starts with the query holds them all). */
  private SongQuery(SongFilter filter, boolean withWords) {
    this.filter = filter;
    StringBuilder w = new StringBuilder();
    for (String word : withWords ? filter.words() : List.<String>of()) {
      params.addString("%" + SongSearch.escapeLike(word) + "%");
      and(w, String.format(WORD, params.size()));
    }
    if (filter.genre() != null) {
      params.addString(filter.genre());
      and(w, "lower(s.genre) = lower($" + params.size() + ")");
    }
    if (filter.yearFrom() != null) {
      params.addInteger(filter.yearFrom());
      params.addInteger(filter.yearTo());
      and(w, "s.year >= $" + (params.size() - 1) + " AND s.year < $" + params.size());
    }
    if (filter.artistId() != null) {
      params.addUUID(filter.artistId());
      // The artist's own songs, and the songs of albums filed under the artist (compilations).
      and(w, "(s.artist_id = $" + params.size() + " OR al.artist_id = $" + params.size() + ")");
    }
    this.where = w.toString();
  }

  /**
   * {@code limit + 1} rows from {@code offset}, or after the row {@code after} names (a {@link
   * SongCursor}, may be null): the extra row tells whether more follow (see {@link PageTotal}).
   * With the marks of {@code viewer} (may be null: none) on each song, see {@link #marks}.
   */
  static Sql page(SongFilter filter, int limit, int offset, String after, UUID viewer) {
    SongQuery q = new SongQuery(filter);
    Tuple p = q.copy();
    StringBuilder where = new StringBuilder(q.where);
    if (after != null) {
      and(where, SongCursor.of(filter).where(after, p));
    }
    String order = q.orderBy(p);
    String marks = marks(viewer, p);
    p.addInteger(limit + 1);
    p.addInteger(offset);
    return new Sql("SELECT " + SongSql.SONG_COLUMNS + SongCursor.KEY_COLUMNS + marks + SongSql.SONG_FROM + where
        + " ORDER BY " + order + " LIMIT $" + (p.size() - 1) + " OFFSET $" + p.size(), p);
  }

  static Sql count(SongFilter filter) {
    SongQuery q = new SongQuery(filter);
    return new Sql("SELECT count(*)" + q.from() + q.where, q.copy());
  }

  /** The count {@link PageTotal} asks for: exact up to its threshold. */
  static Sql cappedCount(SongFilter filter) {
    SongQuery q = new SongQuery(filter);
    return new Sql(PageTotal.cappedCount(q.from() + q.where), q.copy());
  }

  /** Counting needs the album only for the artist filter (compilations), and never the artist. */
  private String from() {
    return filter.artistId() == null ? " FROM songs s" : " FROM songs s JOIN albums al ON al.id = s.album_id";
  }

  /** Up to {@code limit} ids in the order {@link #page} lists them. */
  static Sql ids(SongFilter filter, int limit) {
    SongQuery q = new SongQuery(filter);
    Tuple p = q.copy();
    String order = q.orderBy(p);
    p.addInteger(limit);
    return new Sql("SELECT s.id" + SongSql.SONG_FROM + q.where + " ORDER BY " + order + " LIMIT $" + p.size(), p);
  }

  /**
   * The first part of a search in relevance order ({@link RelevantSongs}): songs whose title starts
   * with the query, in title order, at most {@code rows} of them. The title index songs_title_prefix
   * (V10) hands them over in that order. Songs of one title are in the natural order (artist,
   * album...), which the index does not hold, so the page is cut in two steps: the first {@code
   * rows} titles from the index alone (no joins) give the page's last title, then only the songs up to that
   * title are joined and sorted. In one step the planner's estimate for the range decided: 'mor'
   * (516 titles start with it, estimated 40) and 'river' (498, estimated 1) joined and sorted every
   * one of them, 2.1-2.2 ms of a 2.3 ms statement, where the page needs the titles up to "morning"
   * (108) and "river" (bench/search.md).
   */
  static Sql titleStarts(SongFilter filter, int rows, UUID viewer) {
    SongQuery q = new SongQuery(filter, false);
    Tuple p = q.copy();
    StringBuilder w = new StringBuilder(q.where);
    int prefix = p.size() + 1;
    and(w, q.titleStarts(p));
    String marks = marks(viewer, p);
    p.addInteger(rows);
    String limit = " LIMIT $" + p.size();
    // The page's last title: the first `rows` titles of the range in the index's order. The range's
    // end as a subquery, whose value the planner does not know when it plans: with both ends known
    // it trusted its estimate of the range (40 rows for 'mor') and read and sorted all 516 keys;
    // with no end, a prefix nothing starts with read the `rows` titles after it.
    StringBuilder from = new StringBuilder(q.where);
    and(from, TITLE_KEY + " >= $" + prefix + " AND " + TITLE_KEY + " < (SELECT $" + (prefix + 1) + "::text)");
    String lastTitle = "(SELECT max(k) FROM (SELECT " + TITLE_KEY + " AS k" + q.from() + from + " ORDER BY 1" + limit + ") first)";
    return new Sql("SELECT " + SongSql.SONG_COLUMNS + marks + SongSql.SONG_FROM + w + " AND " + TITLE_KEY + " <= " + lastTitle
        + " ORDER BY " + TITLE_KEY + ", " + NATURAL_ORDER + limit, p);
  }

  /**
   * The rest of a search in relevance order: every other match in the natural order, {@code limit}
   * from {@code offset}. {@code walk}: let the planner walk the natural order and test each song
   * (cheap when matches are dense); otherwise match first and sort only the matches (cheap when
   * they are few: a walk for a word whose every match starts a title read all 100,000 songs, 420 ms).
   */
  static Sql otherMatches(SongFilter filter, int limit, int offset, boolean walk, UUID viewer) {
    SongQuery q = new SongQuery(filter);
    Tuple p = q.copy();
    String w = q.otherMatchesWhere(p);
    String marks = marks(viewer, p);
    p.addInteger(limit);
    p.addInteger(offset);
    String paging = " LIMIT $" + (p.size() - 1) + " OFFSET $" + p.size();
    String select = "SELECT " + SongSql.SONG_COLUMNS + SongCursor.KEY_COLUMNS;
    if (walk) {
      return new Sql(select + marks + SongSql.SONG_FROM + w + " ORDER BY " + NATURAL_ORDER + paging, p);
    }
    // The marks outside: inside, every match would run them, not only the page's.
    return new Sql("WITH m AS MATERIALIZED (" + select + SongSql.SONG_FROM + w + ") SELECT s.*" + marks + " FROM m s ORDER BY "
        + NATURAL_ORDER_OF_MATCHES + paging, p);
  }

  /**
   * The rest of a search in relevance order when the matches are few, with their number: at most
   * {@code cap} other matches (one bitmap scan of the trigram index, no joins), then
   * {@code limit} of them from {@code offset} in the natural order, each row carrying
   * {@code matches}, how many there were. One row with only {@code matches} (its id null) when
   * the page is empty. {@code matches} = {@code cap}: there may be more, and the page is not in
   * order (see {@link RelevantSongs}). Counting the matches apart read them a second time.
   *
   * <p>Only the songs that can be on the page meet their album and artist: the matches are sorted
   * by their artist's key (songs.artist_key, V15) and cut after {@code offset + limit} of them (WITH
   * TIES: every song of the last artist stays), and only those meet their albums for the rest of the
   * order. Joining every match to both (704 for 'blue night') probed both primary keys 704 times:
   * 4,224 buffers, 2.8 ms of the statement's 5 (bench/search.md); cut after a join to artists alone,
   * the generic plan still probed artists_pkey per match (2,112 of 3,383 buffers); cut on the song's
   * own key, 1,397 buffers, about 60 probes of each.
   */
  static Sql fewOtherMatches(SongFilter filter, int cap, int limit, int offset, UUID viewer) {
    SongQuery q = new SongQuery(filter);
    Tuple p = q.copy();
    String w = q.otherMatchesWhere(p);
    // The cap as a constant: as a parameter the generic plan guessed 10 % of the matches and chose to
    // read the whole table until it had them (170 ms for a word that matches nothing).
    String matches = "SELECT s.*" + q.from() + w + " LIMIT " + cap;
    String marks = marks(viewer, p);
    p.addInteger(limit);
    p.addInteger(offset);
    p.addInteger(offset + limit);
    int lim = p.size() - 2;
    // The page reads the matches' rows as the scan left them (as "s"): read again by id, 704 of them took 13 ms.
    return new Sql("WITH m AS MATERIALIZED (" + matches + ") SELECT c.matches, page.* FROM (SELECT count(*) AS matches FROM m) c "
        + "LEFT JOIN LATERAL (SELECT " + SongSql.SONG_COLUMNS_PROBED + marks + " FROM (SELECT s.* FROM m s ORDER BY s.artist_key"
        + " FETCH FIRST $" + (lim + 2) + " ROWS WITH TIES) s"
        + " ORDER BY " + NATURAL_ORDER.replace("ar.name_key", "s.artist_key").replace("al.title_key", ALBUM_KEY_PROBED)
        + " LIMIT $" + lim + " OFFSET $" + (lim + 1) + ") page ON true", p);
  }

  /**
   * The album's title key for the cut of fewOtherMatches, a probe of its primary key per row, as
   * SongSql.SONG_COLUMNS_PROBED reads the title: joined, the custom plan hashed all 10,000 albums
   * for the 58 rows of 'blue night' (121 buffers, 0.6 ms).
   */
  private static final String ALBUM_KEY_PROBED = "(SELECT al.title_key FROM albums al WHERE al.id = s.album_id)";

  /**
   * The marks of {@code viewer} on each song as columns (UserLibrarySql.songMarkColumns), the
   * viewer a parameter added to {@code p}; nothing when there is no viewer. Read with the page, not
   * by a second statement after it (UserMarks): one round trip less for every list of songs.
   */
  private static String marks(UUID viewer, Tuple p) {
    if (viewer == null) {
      return "";
    }
    p.addUUID(viewer);
    return UserLibrarySql.songMarkColumns(p.size());
  }

  /** The matches that do not start a title: the second part of a relevance search. */
  private String otherMatchesWhere(Tuple p) {
    StringBuilder w = new StringBuilder(where);
    and(w, "NOT " + titleStarts(p));
    return w.toString();
  }

  /** NATURAL_ORDER over the columns of a page (SongCursor.KEY_COLUMNS hold the keys SONG_COLUMNS do not). */
  private static final String NATURAL_ORDER_OF_MATCHES = "s.k_artist, s.k_album, s.disc NULLS FIRST, s.track NULLS LAST, s.k_title, s.id";

  /**
   * The title index's expression: byte order, so "starts with" is a range of it whatever the
   * database's locale, and the range works in a generic (cached) plan, which LIKE 'x%' does not.
   */
  private static final String TITLE_KEY = "lower(s.title) COLLATE \"C\"";

  private String titleStarts(Tuple p) {
    String prefix = String.join(" ", filter.words());
    p.addString(prefix);
    p.addString(SongSearch.pastPrefix(prefix));
    return "(" + TITLE_KEY + " >= $" + (p.size() - 1) + " AND " + TITLE_KEY + " < $" + p.size() + ")";
  }

  private String orderBy(Tuple p) {
    if (filter.sort() != null) {
      return filter.sort().orderBy(filter.descending());
    }
    if (filter.words().isEmpty()) {
      return NATURAL_ORDER;
    }
    // The order RelevantSongs pages through in two parts, as one ORDER BY (for the id list).
    String starts = titleStarts(p);
    return "CASE WHEN " + starts + " THEN 0 ELSE 1 END, CASE WHEN " + starts + " THEN " + TITLE_KEY + " END, " + NATURAL_ORDER;
  }

  private Tuple copy() {
    Tuple copy = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      copy.addValue(params.getValue(i));
    }
    return copy;
  }

  private static void and(StringBuilder where, String condition) {
    where.append(where.length() == 0 ? " WHERE " : " AND ").append(condition);
  }
}
