package io.dspot.streaming;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What the HTTP layer needs to serve one stored file: where its bytes come from and the metadata
 * every answer is decided from (the catalog's, never a peer's).
 *
 * @param etag a strong, quoted entity tag, e.g. {@code "\"<sha256hex>\""}
 * @param lastModifiedHeader {@code lastModified} as an HTTP-date
 */
record StreamableFile(SongBytes bytes, long size, String etag, Instant lastModified, String contentType,
    String lastModifiedHeader) {

  /** {@code lastModifiedHeader} is formatted once here, not for every range of the song. */
  StreamableFile(SongBytes bytes, long size, String etag, Instant lastModified, String contentType) {
    this(bytes, size, etag, lastModified, contentType, HttpDates.format(lastModified));
  }

  /** A file on this node's disk. */
  StreamableFile(Path path, long size, String etag, Instant lastModified, String contentType) {
    this(new LocalBlob(path), size, etag, lastModified, contentType);
  }
}
