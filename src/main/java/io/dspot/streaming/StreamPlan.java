package io.dspot.streaming;

import java.util.List;

/**
 * What to answer to a GET or HEAD of a file, decided from the request headers alone, in the
 * order of RFC 9110 §13.2.2: If-None-Match (or If-Modified-Since), then If-Range, then Range.
 */
sealed interface StreamPlan {

  record NotModified() implements StreamPlan {}

  record WholeFile() implements StreamPlan {}

  record SingleRange(ByteRange range) implements StreamPlan {}

  record MultipleRanges(List<ByteRange> ranges) implements StreamPlan {}

  record RangeNotSatisfiable() implements StreamPlan {}

  /** Each argument is the raw header value, or null when the header is absent. */
  static StreamPlan decide(String ifNoneMatch, String ifModifiedSince, String range, String ifRange,
      StreamableFile file) {
    if (ifNoneMatch != null) {
      if (EntityTags.anyWeaklyMatches(ifNoneMatch, file.etag())) {
        return new NotModified();
      }
    } else if (ifModifiedSince != null && notModifiedSince(ifModifiedSince, file)) {
      return new NotModified();
    }
    if (range == null) {
      return new WholeFile();
    }
    if (ifRange != null && !ifRangeHolds(ifRange, file)) {
      return new WholeFile();
    }
    RangeRequest request = RangeRequest.parse(range, file.size());
    if (request instanceof RangeRequest.Unsatisfiable) {
      return new RangeNotSatisfiable();
    }
    if (request instanceof RangeRequest.Satisfiable satisfiable) {
      List<ByteRange> ranges = satisfiable.ranges();
      return ranges.size() == 1 ? new SingleRange(ranges.get(0)) : new MultipleRanges(ranges);
    }
    return new WholeFile();
  }

  private static boolean notModifiedSince(String ifModifiedSince, StreamableFile file) {
    return HttpDates.parse(ifModifiedSince)
        .map(date -> !HttpDates.toSeconds(file.lastModified()).isAfter(date))
        .orElse(false);
  }

  /**
   * RFC 9110 §13.1.5: a strong entity tag must be identical; a date must equal Last-Modified
   * exactly (a newer date is not enough, the date itself is the validator). Anything else,
   * including an unparsable value, means "send the whole file".
   */
  private static boolean ifRangeHolds(String ifRange, StreamableFile file) {
    if (EntityTags.looksLikeEntityTag(ifRange)) {
      return EntityTags.stronglyMatches(ifRange, file.etag());
    }
    return HttpDates.parse(ifRange)
        .map(date -> date.equals(HttpDates.toSeconds(file.lastModified())))
        .orElse(false);
  }
}
