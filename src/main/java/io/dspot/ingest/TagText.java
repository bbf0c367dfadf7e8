package io.dspot.ingest;

/** Tag text as we store it: control characters gone, whitespace trimmed, length capped. */
final class TagText {
  static final int MAX_LENGTH = 300;

  private TagText() {}

  static String clean(String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_LENGTH));
    raw.codePoints()
        .filter(c -> !Character.isISOControl(c) && c != 0xFEFF && Character.getType(c) != Character.SURROGATE)
        .limit(MAX_LENGTH)
        .forEach(out::appendCodePoint);
    String s = out.toString().strip();
    return s.isEmpty() ? null : s;
  }

  static String firstOf(String... candidates) {
    for (String c : candidates) {
      String cleaned = clean(c);
      if (cleaned != null) {
        return cleaned;
      }
    }
    return null;
  }

  /** "3", "03", "3/12" → 3; anything else → fallback. */
  static Integer number(String raw, Integer fallback) {
    if (raw == null) {
      return fallback;
    }
    String head = raw.split("/")[0].trim();
    if (head.matches("\\d{1,4}")) {
      int n = Integer.parseInt(head);
      return n > 0 ? n : fallback;
    }
    return fallback;
  }

  /** "2024", "2024-05-01" → 2024. */
  static Integer year(String raw) {
    if (raw == null || raw.length() < 4 || !raw.substring(0, 4).matches("\\d{4}")) {
      return null;
    }
    int y = Integer.parseInt(raw.substring(0, 4));
    return y >= 1000 && y <= 2999 ? y : null;
  }
}
