package io.dspot.streaming;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The grammar of RFC 9110 §14.1.2 for the {@code bytes} unit, kept apart so {@link RangeRequest} reads as a contract. */
final class RangeSetParser {

  /** Thrown internally for any syntax error; the caller turns it into {@link RangeRequest.Ignored}. */
  private static final class Malformed extends Exception {
    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  private RangeSetParser() {}

  static RangeRequest parse(String header, long size) {
    if (header == null) {
      return new RangeRequest.Absent();
    }
    try {
      return parseBytesUnit(header, size);
    } catch (Malformed e) {
      return new RangeRequest.Ignored(e.getMessage());
    }
  }

  private static RangeRequest parseBytesUnit(String header, long size) throws Malformed {
    int equals = header.indexOf('=');
    if (equals < 0) {
      throw new Malformed("no range unit");
    }
    if (equals != 5 || !header.regionMatches(true, 0, "bytes", 0, 5)) {
      throw new Malformed("unsupported range unit");
    }
    String set = header.substring(equals + 1);
    if (set.indexOf(',') < 0) {
      // One spec, as players send when seeking: nothing to split or merge.
      String spec = trimOptionalWhitespace(set);
      if (spec.isEmpty()) {
        throw new Malformed("empty range set");
      }
      ByteRange range = parseSpec(spec, size);
      return range == null ? new RangeRequest.Unsatisfiable() : new RangeRequest.Satisfiable(List.of(range));
    }
    List<ByteRange> overlapping = new ArrayList<>();
    int specs = 0;
    // The list rule (RFC 9110 §5.6.1.2) tolerates empty elements and whitespace around commas.
    for (String element : set.split(",", -1)) {
      String spec = trimOptionalWhitespace(element);
      if (spec.isEmpty()) {
        continue;
      }
      if (++specs > RangeRequest.MAX_RANGES) {
        throw new Malformed("more than " + RangeRequest.MAX_RANGES + " ranges");
      }
      ByteRange range = parseSpec(spec, size);
      if (range != null) {
        overlapping.add(range);
      }
    }
    if (specs == 0) {
      throw new Malformed("empty range set");
    }
    if (overlapping.isEmpty()) {
      return new RangeRequest.Unsatisfiable();
    }
    return new RangeRequest.Satisfiable(coalesce(overlapping));
  }

  /** Returns the part of the file the spec selects, or null if it is valid but selects nothing. */
  private static ByteRange parseSpec(String spec, long size) throws Malformed {
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw new Malformed("range without '-'");
    }
    String firstDigits = spec.substring(0, dash);
    String lastDigits = spec.substring(dash + 1);
    if (firstDigits.isEmpty()) {
      requireDigits(lastDigits);
      long suffixLength = parseSaturating(lastDigits);
      if (suffixLength == 0 || size == 0) {
        return null;
      }
      return new ByteRange(Math.max(0, size - suffixLength), size - 1);
    }
    requireDigits(firstDigits);
    if (!lastDigits.isEmpty()) {
      requireDigits(lastDigits);
      // Compared as decimal strings so that two overflowing numbers still compare correctly.
      if (compareDecimal(firstDigits, lastDigits) > 0) {
        throw new Malformed("last-pos before first-pos");
      }
    }
    long first = parseSaturating(firstDigits);
    if (first >= size) {
      return null;
    }
    long last = lastDigits.isEmpty() ? size - 1 : Math.min(parseSaturating(lastDigits), size - 1);
    return new ByteRange(first, last);
  }

  private static List<ByteRange> coalesce(List<ByteRange> ranges) {
    List<ByteRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(ByteRange::first));
    List<ByteRange> merged = new ArrayList<>();
    ByteRange current = sorted.get(0);
    for (ByteRange next : sorted.subList(1, sorted.size())) {
      // last < size <= Long.MAX_VALUE, so last + 1 cannot overflow.
      if (next.first() <= current.last() + 1) {
        current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    return merged;
  }

  private static void requireDigits(String s) throws Malformed {
    if (s.isEmpty()) {
      throw new Malformed("missing number");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Only ASCII DIGIT: Character.isDigit would accept other scripts' digits.
      if (c < '0' || c > '9') {
        throw new Malformed("not a number: " + s);
      }
    }
  }

  /** A value above Long.MAX_VALUE becomes Long.MAX_VALUE: past the end of any file, which is what it means. */
  private static long parseSaturating(String digits) {
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = digits.charAt(i) - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return Long.MAX_VALUE;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int compareDecimal(String a, String b) {
    String x = stripLeadingZeros(a);
    String y = stripLeadingZeros(b);
    if (x.length() != y.length()) {
      return Integer.compare(x.length(), y.length());
    }
    return x.compareTo(y);
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static String trimOptionalWhitespace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isOptionalWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isOptionalWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
