package io.dspot.streaming;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** HTTP-date (RFC 9110 §5.6.7), compared at the one-second precision the format has. */
final class HttpDates {

  // Not DateTimeFormatter.RFC_1123_DATE_TIME for output: it writes "3 Jun", IMF-fixdate wants "03 Jun".
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpDates() {}

  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /**
   * Accepts IMF-fixdate (and RFC 1123 with a one-digit day). The obsolete RFC 850 and asctime
   * forms come back empty: every caller then falls back to serving the full file, which is safe.
   */
  static Optional<Instant> parse(String value) {
    String v = value.strip();
    try {
      return Optional.of(Instant.from(IMF_FIXDATE.parse(v)));
    } catch (DateTimeException notFixdate) {
      try {
        return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(v)));
      } catch (DateTimeException unparsable) {
        return Optional.empty();
      }
    }
  }

  static Instant toSeconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
