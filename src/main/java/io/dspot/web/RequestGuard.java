package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the public server checks before any route: browser-facing security headers on every
 * answer, JSON bodies that say they are JSON, and cookie-authenticated state changes that come
 * from the node's own pages.
 *
 * <p>Why both checks: {@code SameSite=Strict} does not stop a page on a sibling subdomain or on
 * another port of the same host (same site, other origin), and a {@code text/plain} POST is a
 * "simple" request a browser sends cross-origin without asking first. Requiring
 * {@code application/json} forces a CORS preflight (which we never grant); checking
 * {@code Origin} / {@code Sec-Fetch-Site} refuses the rest. Bearer-token callers are not
 * browsers riding on ambient credentials and are not checked.
 */
final class RequestGuard {

  /**
   * The web player loads only its own files: modules from /app, CSS from /css, covers and audio
   * from /api, the favicon as a data: URI. It sets styles only through the CSSOM (allowed), never
   * with inline style attributes or inline scripts.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  /**
   * On every answer: names and values made once as Netty's ASCII strings, which the response's
   * header map hashes and writes without the per-call checks and char-by-char encoding a String gets.
   */
  private static final CharSequence[][] SECURITY_HEADERS = java.util.stream.Stream.of(
      new String[] {"Content-Security-Policy", CONTENT_SECURITY_POLICY},
      new String[] {"X-Content-Type-Options", "nosniff"},
      new String[] {"X-Frame-Options", "DENY"},
      new String[] {"Referrer-Policy", "same-origin"},
      new String[] {"Cross-Origin-Opener-Policy", "same-origin"})
      .map(h -> new CharSequence[] {HttpHeaders.createOptimized(h[0]), HttpHeaders.createOptimized(h[1])})
      .toArray(CharSequence[][]::new);

  private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final List<String> trustedOrigins;

  RequestGuard(List<String> trustedOrigins) {
    this.trustedOrigins = trustedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  /** Mounts the headers for every path and the two checks for /api (before authentication and body reading). */
  void install(Router router) {
    router.route().handler(RequestGuard::securityHeaders);
    router.route("/api/*").handler(this::checkRequest);
  }

  private static void securityHeaders(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    for (CharSequence[] header : SECURITY_HEADERS) {
      headers.set(header[0], header[1]);
    }
    ctx.next();
  }

  private void checkRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!STATE_CHANGING.contains(request.method())) {
      ctx.next();
      return;
    }
    if (byCookie(request) && !fromOwnPage(request)) {
      ApiReplies.error(ctx, 403, "cross-origin request refused: a state change with the session cookie must come from this node's own pages");
      return;
    }
    if (hasBody(request) && !isUpload(request) && !isJson(request.getHeader("Content-Type"))) {
      ApiReplies.error(ctx, 415, "expected Content-Type: application/json");
      return;
    }
    ctx.next();
  }

  /** The session rides on the cookie (a browser's ambient credential), not on an explicit Bearer token. */
  private static boolean byCookie(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    return !bearer && request.getCookie(Authentication.COOKIE) != null;
  }

  /**
   * Origin names the page that sent the request; it must be this node (as the browser reached it:
   * the Host header) or a configured trusted origin. Without Origin, a browser's Sec-Fetch-Site
   * says the same; with neither the client is not a browser that fetches on a page's behalf.
   */
  private boolean fromOwnPage(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin != null) {
      return isOwn(origin.trim().toLowerCase(Locale.ROOT), request);
    }
    String site = request.getHeader("Sec-Fetch-Site");
    return site == null || site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none");
  }

  private boolean isOwn(String origin, HttpServerRequest request) {
    if (trustedOrigins.contains(origin)) {
      return true;
    }
    String host = request.authority() == null ? null : request.authority().toString().toLowerCase(Locale.ROOT);
    try {
      URI uri = URI.create(origin);
      if (host == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
        return false;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority.equals(host) || authority.equals(withoutDefaultPort(host, uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false; // "null" (a sandboxed or file: page) and anything malformed
    }
  }

  /** Host may carry the scheme's default port where Origin omits it. */
  private static String withoutDefaultPort(String host, String scheme) {
    String suffix = "https".equals(scheme) ? ":443" : ":80";
    return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
  }

  /**
   * A declared type must be JSON; without one, only a body-less request passes. (HTTP/2 need not
   * declare a length, so a request that names a type is judged by it.)
   */
  private static boolean hasBody(HttpServerRequest request) {
    if (request.getHeader("Content-Type") != null) {
      return true;
    }
    String length = request.getHeader("Content-Length");
    return length != null ? !length.trim().equals("0") : request.getHeader("Transfer-Encoding") != null;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json");
  }

  /** The upload route checks its own type (multipart/form-data, 415 otherwise). */
  static boolean isUpload(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && "/api/songs".equals(request.path());
  }
}
