package io.dspot.streaming;

import java.util.List;

/**
 * What a {@code Range} header asks of a file of a known size (RFC 9110 §14.1.2, §14.2).
 *
 * <p>Choices the HTTP layer relies on:
 * <ul>
 *   <li>Anything syntactically wrong anywhere in the header (unknown unit, garbage, {@code 5-2},
 *       an empty set) makes us ignore the whole header: RFC 9110 §14.2 lets a server ignore Range,
 *       and a full 200 is always a correct answer. We never answer 400 for a Range header.</li>
 *   <li>Numbers too large for a {@code long} are valid syntax, so they keep their meaning:
 *       a huge first-byte-pos is past the end (unsatisfiable, 416 if nothing else is),
 *       a huge last-byte-pos or suffix-length reaches the end of the file (clamped, 206).</li>
 *   <li>More than {@link #MAX_RANGES} ranges is ignored (full 200) rather than answered, the
 *       CVE-2011-3192 ("Apache Killer") mitigation; overlapping and adjacent ranges are merged,
 *       so a multipart body is never larger than the file plus part headers.</li>
 * </ul>
 */
sealed interface RangeRequest {

  int MAX_RANGES = 16;

  /** No Range header: serve the whole file. */
  record Absent() implements RangeRequest {}

  /** A Range header we chose not to honour: serve the whole file. */
  record Ignored(String reason) implements RangeRequest {}

  /** At least one range overlaps the file; sorted ascending, overlapping and adjacent ones merged. */
  record Satisfiable(List<ByteRange> ranges) implements RangeRequest {
    public Satisfiable {
      ranges = List.copyOf(ranges);
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("a satisfiable range set has at least one range");
      }
    }
  }

  /** A valid header none of whose ranges overlaps the file: 416. */
  record Unsatisfiable() implements RangeRequest {}

  /** Never throws: every input string, including null, maps to one of the four outcomes. */
  static RangeRequest parse(String header, long size) {
    return RangeSetParser.parse(header, size);
  }
}
