package io.dspot.streaming;

/** Entity-tag comparisons of RFC 9110 §8.8.3.2: weak for If-None-Match, strong for If-Range. */
final class EntityTags {

  private EntityTags() {}

  /** If-None-Match: {@code *} or any listed tag whose opaque part equals ours (weak comparison). */
  static boolean anyWeaklyMatches(String ifNoneMatch, String etag) {
    String list = ifNoneMatch.strip();
    if (list.equals("*")) {
      return true;
    }
    String ours = opaquePart(etag);
    int i = 0;
    while (i < list.length()) {
      char c = list.charAt(i);
      if (c == ',' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (list.startsWith("W/", i)) {
        i += 2;
      }
      // Parsed quote to quote rather than split on commas: an opaque-tag may itself contain commas.
      if (i >= list.length() || list.charAt(i) != '"') {
        return false;
      }
      int close = list.indexOf('"', i + 1);
      if (close < 0) {
        return false;
      }
      if (list.substring(i, close + 1).equals(ours)) {
        return true;
      }
      i = close + 1;
    }
    return false;
  }

  /** If-Range: only an identical strong tag counts; a weak tag on either side never matches. */
  static boolean stronglyMatches(String candidate, String etag) {
    String tag = candidate.strip();
    return tag.startsWith("\"") && !etag.startsWith("W/") && tag.equals(etag);
  }

  static boolean looksLikeEntityTag(String value) {
    String v = value.strip();
    return v.startsWith("\"") || v.startsWith("W/");
  }

  private static String opaquePart(String etag) {
    return etag.startsWith("W/") ? etag.substring(2) : etag;
  }
}
