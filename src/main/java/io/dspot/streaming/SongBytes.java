package io.dspot.streaming;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Function;

/**
 * Where the bytes of a song being streamed come from: this node's blob store ({@link LocalBlob})
 * or a live holder over the internal network ({@link ProxiedBlob}). The answer's status and
 * headers are decided before, from the catalog's metadata, so they are the same either way.
 *
 * <p>A failure before anything of the body was written leaves the response untouched (the
 * responder can still send an error); a failure after it fails the future with the body cut short.
 */
interface SongBytes {

  /** The whole body of a single-part answer: {@code length} bytes from {@code offset}, then the end of the response. */
  Future<Void> send(HttpServerResponse response, long offset, long length);

  /** The same over a TLS connection, where the bytes must pass through the engine anyway. */
  default Future<Void> sendEncrypted(HttpServerResponse response, long offset, long length) {
    return send(response, offset, length);
  }

  /** A body of several spans (multipart/byteranges): {@code parts} copies them; what was opened is released after. */
  Future<Void> copying(Function<SpanCopier, Future<Void>> parts);

  /** Copies one span into a response that stays open. */
  @FunctionalInterface
  interface SpanCopier {
    /**
     * Writes {@code lead} (a part's header, may be null) and then {@code length} bytes from
     * {@code offset}. The lead goes out with the first bytes, so a source that fails before
     * having any leaves the response as it was.
     */
    Future<Void> copy(HttpServerResponse response, Buffer lead, long offset, long length);
  }
}
