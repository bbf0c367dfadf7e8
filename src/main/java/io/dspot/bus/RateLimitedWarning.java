package io.dspot.bus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A warning that repeats while something stays broken (a peer that does not answer, a relay that
 * cannot deliver): logged at WARN the first time, then at most once per quiet period, saying how
 * many were held back since the last one logged ("... (12 more since 10:41:02)"). Never silent.
 * Each key (e.g. the peer's id) has its own quiet period, so a second peer failing is heard at once.
 */
public final class RateLimitedWarning {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final class Quiet {
    long lastLogged;
    long heldBack;
  }

  private final Logger log;
  private final long quietMillis;
  private final LongSupplier clock;
  private final Map<String, Quiet> byKey = new HashMap<>();

  public RateLimitedWarning(Logger log, Duration quiet) {
    this(log, quiet, System::currentTimeMillis);
  }

  RateLimitedWarning(Logger log, Duration quiet, LongSupplier clock) {
    this.log = log;
    this.quietMillis = quiet.toMillis();
    this.clock = clock;
  }

  /** Logs the warning (slf4j {} placeholders) or counts it; returns what was logged, null when held back. */
  public String warn(String format, Object... args) {
    return warnFor("", format, args);
  }

  /** The same, rate-limited separately for each {@code key}. */
  public synchronized String warnFor(String key, String format, Object... args) {
    long now = clock.getAsLong();
    Quiet quiet = byKey.get(key);
    if (quiet != null && now - quiet.lastLogged < quietMillis) {
      quiet.heldBack++;
      return null;
    }
    String message = MessageFormatter.arrayFormat(format, args).getMessage();
    if (quiet == null) {
      quiet = new Quiet();
      byKey.put(key, quiet);
    } else if (quiet.heldBack > 0) {
      message += " (" + quiet.heldBack + " more since " + CLOCK.format(Instant.ofEpochMilli(quiet.lastLogged)) + ")";
    }
    quiet.heldBack = 0;
    quiet.lastLogged = now;
    log.warn(message);
    return message;
  }
}
