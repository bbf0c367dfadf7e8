package io.dspot.catalog;

import io.dspot.bus.ServiceException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Keyset paging of a song list ({@code after=}): the page after a row is "the rows whose sort key
 * comes after that row's", which an index walk reaches as cheaply as the first page. OFFSET read and
 * threw away every row before the page (songs at offset 50,000 of 100,000: 205 ms; bench/search.md).
 * A cursor is the last row's sort key and the order it belongs to, base64url JSON; opaque to
 * clients, and checked like any input: a cursor that does not decode or belongs to another order
 * is a 400.
 */
final class SongCursor {

  /** The query parameter, and the page's field holding the cursor of its last row. */
  static final String AFTER = "after";
  static final String NEXT = "next";

  private enum Type { TEXT, INT, LONG, TIME, UUID }

  private enum Nulls { NONE, FIRST, LAST }

  /** One term of an ORDER BY: its SQL, the page column holding its value, its type and how it sorts. */
  private record Key(String sql, String column, Type type, boolean descending, Nulls nulls) {}

  /** The natural order's terms, SongSort.TIE_BREAK one for one; the columns beyond SONG_COLUMNS are KEY_COLUMNS. */
  private static final List<Key> TIE_BREAK = List.of(
      new Key("ar.name_key", "k_artist", Type.TEXT, false, Nulls.NONE),
      new Key("al.title_key", "k_album", Type.TEXT, false, Nulls.NONE),
      new Key("s.disc", "disc", Type.INT, false, Nulls.FIRST),
      new Key("s.track", "track", Type.INT, false, Nulls.LAST),
      new Key("lower(s.title)", "k_title", Type.TEXT, false, Nulls.NONE),
      new Key("s.id", "id", Type.UUID, false, Nulls.NONE));
  /** The sort keys the page selects besides SONG_COLUMNS, so the last row can make the next cursor. */
  static final String KEY_COLUMNS = ", ar.name_key AS k_artist, al.title_key AS k_album, lower(s.title) AS k_title";

  private final String order;
  private final List<Key> keys;

  private SongCursor(SongFilter filter) {
    this.order = filter.sort() == null ? "natural" : filter.sort().name().toLowerCase(Locale.ROOT) + (filter.descending() ? "-desc" : "");
    List<Key> k = new ArrayList<>();
    if (filter.sort() != null) {
      k.add(first(filter.sort(), filter.descending()));
    }
    k.addAll(TIE_BREAK);
    this.keys = k;
  }

  /** The keyset of {@code filter}'s order; a relevance search has none (its order comes in two parts, see RelevantSongs). */
  static SongCursor of(SongFilter filter) {
    if (!filter.words().isEmpty() && filter.sort() == null) {
      throw ServiceException.badRequest("after pages a list in a fixed order: page a search by relevance with offset, or give sort=");
    }
    return new SongCursor(filter);
  }

  private static Key first(SongSort sort, boolean descending) {
    return switch (sort) {
      case TITLE -> new Key("lower(s.title)", "k_title", Type.TEXT, descending, Nulls.NONE);
      case ARTIST -> new Key("ar.name_key", "k_artist", Type.TEXT, descending, Nulls.NONE);
      case ALBUM -> new Key("al.title_key", "k_album", Type.TEXT, descending, Nulls.NONE);
      case YEAR -> new Key("s.year", "year", Type.INT, descending, Nulls.LAST);
      case DURATION -> new Key("s.duration_ms", "duration_ms", Type.LONG, descending, Nulls.NONE);
      case ADDED -> new Key("s.created_at", "created_at", Type.TIME, descending, Nulls.NONE);
    };
  }

  /** The cursor of the page's last row. */
  String next(Row last) {
    JsonArray values = new JsonArray();
    for (Key key : keys) {
      Object v = last.getValue(key.column());
      values.add(v == null ? null : v instanceof Number ? v : v.toString());
    }
    String json = new JsonObject().put("o", order).put("k", values).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The condition "after the row {@code cursor} names", its values added to {@code params}: for each
   * term, further along its order, or equal and after on the next term. A leading bound on the first
   * term (never null) lets the planner start its index walk at the cursor.
   */
  String where(String cursor, Tuple params) {
    JsonArray values = decode(cursor);
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      refs.add(bind(keys.get(i), values.getValue(i), params));
    }
    String after = after(0, refs);
    Key lead = keys.get(0);
    if (lead.nulls() == Nulls.NONE) {
      after = lead.sql() + (lead.descending() ? " <= " : " >= ") + refs.get(0) + " AND " + after;
    }
    return "(" + after + ")";
  }

  private String after(int i, List<String> refs) {
    if (i == keys.size()) {
      return "FALSE";
    }
    Key k = keys.get(i);
    String v = refs.get(i);
    String rest = after(i + 1, refs);
    if (v == null) {
      // Nulls first: every non-null comes after; nulls last: only nulls do.
      return k.nulls() == Nulls.FIRST ? "(" + k.sql() + " IS NOT NULL OR (" + k.sql() + " IS NULL AND " + rest + "))"
          : "(" + k.sql() + " IS NULL AND " + rest + ")";
    }
    String further = k.sql() + (k.descending() ? " < " : " > ") + v;
    String nullsAfter = k.nulls() == Nulls.LAST ? " OR " + k.sql() + " IS NULL" : "";
    return "(" + further + nullsAfter + " OR (" + k.sql() + " = " + v + " AND " + rest + "))";
  }

  private JsonArray decode(String cursor) {
    JsonObject json;
    try {
      json = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw bad("is not a cursor this server gave");
    }
    if (!order.equals(json.getValue("o"))) {
      throw bad("belongs to another order than " + order + "; start again without after");
    }
    Object values = json.getValue("k");
    if (!(values instanceof JsonArray array) || array.size() != keys.size()) {
      throw bad("is not a cursor this server gave");
    }
    return array;
  }

  /** The value as a parameter ($n), or null for a null value; anything of the wrong type is a 400. */
  private static String bind(Key key, Object value, Tuple params) {
    if (value == null) {
      if (key.nulls() == Nulls.NONE) {
        throw bad("is not a cursor this server gave");
      }
      return null;
    }
    try {
      switch (key.type()) {
        case TEXT -> params.addString((String) value);
        case INT -> params.addInteger(((Number) value).intValue());
        case LONG -> params.addLong(((Number) value).longValue());
        case TIME -> params.addOffsetDateTime(OffsetDateTime.parse((String) value));
        case UUID -> params.addUUID(java.util.UUID.fromString((String) value));
      }
    } catch (ClassCastException | DateTimeParseException | IllegalArgumentException e) {
      throw bad("is not a cursor this server gave");
    }
    return "$" + params.size();
  }

  private static ServiceException bad(String why) {
    return ServiceException.badRequest("after " + why);
  }
}
