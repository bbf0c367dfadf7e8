/**
 * Serving a stored song's bytes over HTTP: Range, If-Range and If-None-Match (RFC 9110 §13, §14).
 *
 * <p>Ranges are hand-written because what Vert.x offers falls short of what players send:
 * {@code StaticHandler} serves only {@code a-b} and {@code a-}, answers suffix and multiple
 * ranges with a full 200, sends no ETag, ignores If-Range and gets HEAD with Range wrong; and
 * {@code HttpServerResponse.sendFile(path, offset, length)} sets neither 206 nor Content-Range
 * and never answers at all when the offset is past the end. Browsers seek with ranges, so this
 * must be exact.
 *
 * <p>The parsing and the decision ({@link io.dspot.streaming.RangeRequest}, {@code StreamPlan})
 * are plain Java, unit-tested without a server; {@link io.dspot.streaming.StreamResponder} only writes.
 *
 * <p>Where the bytes come from is decided once per song in {@code SongFiles} (for a relayed song,
 * until the location index or the membership changes): this node's blob store ({@code LocalBlob},
 * zero-copy) or, when it lacks the blob, the live holders the location index names
 * ({@code ProxiedBlob}: one range request per span through this event loop's
 * {@link io.dspot.cluster.RelayClient}, next holder on failure or silence, continuing at the byte
 * already sent). An album cover this node lacks is relayed whole the same way
 * ({@code CoverRelay}), after one holder told its size.
 *
 * <p>{@link io.dspot.streaming.MediaStreams} is the module's one public entry: the web module hands
 * it the HTTP request (song streams, album covers), because file bytes cannot travel over the bus.
 */
package io.dspot.streaming;
