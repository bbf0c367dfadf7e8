package io.dspot.streaming;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What the HTTP layer needs to serve one stored file.
 *
 * @param etag a strong, quoted entity tag, e.g. {@code "\"<sha256hex>\""}
 */
record StreamableFile(Path path, long size, String etag, Instant lastModified, String contentType) {}
