package io.dspot.bus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A warning that repeats while something stays broken (a peer that does not answer, a relay that
 * cannot deliver): logged at WARN the first time, then at most once per quiet period, saying how
 * many were held back since the last one logged ("... (12 more since 10:41:02)"). Never silent.
 */
public final class RateLimitedWarning {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Logger log;
  private final long quietMillis;
  private final LongSupplier clock;
  private long lastLogged = Long.MIN_VALUE;
  private long heldBack;

  public RateLimitedWarning(Logger log, Duration quiet) {
    this(log, quiet, System::currentTimeMillis);
  }

  RateLimitedWarning(Logger log, Duration quiet, LongSupplier clock) {
    this.log = log;
    this.quietMillis = quiet.toMillis();
    this.clock = clock;
  }

  /** Logs the warning (slf4j {} placeholders) or counts it; returns what was logged, null when held back. */
  public synchronized String warn(String format, Object... args) {
    long now = clock.getAsLong();
    if (lastLogged != Long.MIN_VALUE && now - lastLogged < quietMillis) {
      heldBack++;
      return null;
    }
    String message = MessageFormatter.arrayFormat(format, args).getMessage();
    if (heldBack > 0) {
      message += " (" + heldBack + " more since " + CLOCK.format(Instant.ofEpochMilli(lastLogged)) + ")";
    }
    heldBack = 0;
    lastLogged = now;
    log.warn(message);
    return message;
  }
}
