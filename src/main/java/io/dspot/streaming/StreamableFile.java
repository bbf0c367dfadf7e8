package io.dspot.streaming;

import io.vertx.core.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What the HTTP layer needs to serve one stored file: where its bytes come from and the metadata
 * every answer is decided from (the catalog's, never a peer's).
 *
 * @param etag a strong, quoted entity tag, e.g. {@code "\"<sha256hex>\""}
 * @param headers the header values of this file's every answer, made once
 */
record StreamableFile(SongBytes bytes, long size, String etag, Instant lastModified, String contentType,
    HeaderValues headers) {

  /** The header values are made once here, not for every range of the song. */
  StreamableFile(SongBytes bytes, long size, String etag, Instant lastModified, String contentType) {
    this(bytes, size, etag, lastModified, contentType, HeaderValues.of(etag, lastModified, contentType));
  }

  /** A file on this node's disk. */
  StreamableFile(Path path, long size, String etag, Instant lastModified, String contentType) {
    this(new LocalBlob(path), size, etag, lastModified, contentType);
  }

  /**
   * ETag, Last-Modified and Content-Type as Netty's ASCII strings where they are ASCII (always, for
   * what the catalog stores): Vert.x copies those bytes into the response head as they are, where a
   * String is measured and encoded char by char on every answer (bench/ranges.md, round 7).
   */
  record HeaderValues(CharSequence etag, CharSequence lastModified, CharSequence contentType) {

    static HeaderValues of(String etag, Instant lastModified, String contentType) {
      return new HeaderValues(ascii(etag), ascii(HttpDates.format(lastModified)), ascii(contentType));
    }

    /** A value with other characters stays a String, encoded by Vert.x as before. */
    private static CharSequence ascii(String value) {
      return value == null || !value.chars().allMatch(c -> c < 0x80) ? value : HttpHeaders.createOptimized(value);
    }
  }
}
