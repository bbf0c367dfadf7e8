package io.dspot.streaming;

/**
 * No node holding the song's bytes could be reached: answered 503 with {@code Retry-After} when
 * nothing was sent yet (a replica may come back, or the breaker to it close again), a cut
 * connection when the body was already under way.
 */
final class SongUnavailable extends RuntimeException {

  SongUnavailable(String message) {
    super(message, null, false, false);
  }
}
