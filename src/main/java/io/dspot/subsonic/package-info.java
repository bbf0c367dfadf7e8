/**
 * The Subsonic / OpenSubsonic API for music apps, under {@code /rest/} on the external server.
 *
 * <p>{@link io.dspot.subsonic.SubsonicRoutes} is the front door: the web module mounts it, one per
 * HTTP event loop. A request is read ({@code Call}: query or form parameters), its caller
 * authenticated against their app password by the security module ({@code SubsonicLogin}), and
 * answered by one {@code Method}: the browsing, account, playlist, user-library (stars, ratings,
 * scrobbles) and play-queue methods ask the catalog, security and ingest modules over the bus and
 * return an {@code Element} tree, which {@code ResponseFormat} writes as XML or JSON(P), so both
 * forms come from one model; the media methods hand the request to the streaming module
 * ({@code MediaStreams}, which also transcodes), as the web player's routes do. Now playing is a
 * clustered map ({@code NowPlaying}), not catalog data.
 *
 * <p>Ids are the catalog's UUIDs with a type prefix ({@code SubsonicIds}); every refusal is an
 * HTTP 200 with a Subsonic error code ({@code SubsonicError}), as apps expect.
 */
package io.dspot.subsonic;
