package io.dspot.subsonic;

import io.dspot.streaming.MediaStreams;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Subsonic / OpenSubsonic API under {@code /rest/<method>} (and {@code <method>.view}), for
 * the music apps that speak it: parameters in the query or a form POST ({@code formPost}),
 * answers in XML or JSON(P) ({@link ResponseFormat}), every caller authenticated by their app
 * password ({@link SubsonicLogin}), errors as HTTP 200 with an error element, as clients expect.
 * The methods map onto the catalog, security and streaming modules over the bus.
 */
public final class SubsonicRoutes {

  private static final Logger log = LoggerFactory.getLogger(SubsonicRoutes.class);
  /** Form bodies carry parameters only (a playlist's song ids at most). */
  private static final long FORM_LIMIT = 256 * 1024;
  private static final String PREFIX = "/rest/";
  /** Methods answered without credentials. */
  private static final java.util.Set<String> PUBLIC = java.util.Set.of("getOpenSubsonicExtensions");

  private final Map<String, Method> methods = new HashMap<>();
  private final SubsonicLogin login;

  /** One per HTTP event loop, with that loop's {@code media}. */
  public SubsonicRoutes(Vertx vertx, MediaStreams media) {
    this.login = new SubsonicLogin(vertx);
    AccountMethods.register(methods, media.canTranscode());
    BrowsingMethods.register(methods);
    PlaylistMethods.register(methods);
    MediaMethods.register(methods, media);
    UserLibraryMethods.register(methods, new NowPlaying());
    PlayQueueMethods.register(methods);
  }

  public void mount(Router router) {
    BodyHandler forms = BodyHandler.create(false).setBodyLimit(FORM_LIMIT);
    router.route(PREFIX + "*").handler(ctx -> {
      if (ctx.request().method() == HttpMethod.POST) {
        forms.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.route(PREFIX + "*").handler(this::dispatch);
  }

  private void dispatch(RoutingContext ctx) {
    MultiMap params = ctx.request().params();
    ResponseFormat format;
    try {
      format = ResponseFormat.of(params);
    } catch (ResponseFormat.FormatProblem problem) {
      send(ctx, ResponseFormat.JSON, ResponseFormat.JSON.failed(problem.error));
      return;
    }
    String name = methodName(ctx.request().path());
    Method method = methods.get(name);
    if (hasNul(params)) {
      fail(ctx, format, new SubsonicError(SubsonicError.GENERIC, "parameters must not contain NUL characters"));
      return;
    }
    // OpenSubsonic: apps ask which extensions exist before they have credentials to send.
    Future<io.vertx.core.json.JsonObject> caller = PUBLIC.contains(name)
        ? Future.succeededFuture(new io.vertx.core.json.JsonObject())
        : login.authenticate(ctx, params);
    caller
        .compose(user -> {
          if (method == null) {
            return Future.failedFuture(new SubsonicError(SubsonicError.NOT_FOUND, "no such method here: " + name + " (see the README's Subsonic section)"));
          }
          return method.answer(new Call(ctx, params, user));
        })
        .onSuccess(payload -> {
          if (payload != null) {
            send(ctx, format, format.ok(payload));
          }
        })
        .onFailure(e -> fail(ctx, format, e));
  }

  /** {@code /rest/getAlbum.view} and {@code /rest/getAlbum} are the same method. */
  static String methodName(String path) {
    String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    return name.endsWith(".view") ? name.substring(0, name.length() - ".view".length()) : name;
  }

  private static boolean hasNul(MultiMap params) {
    for (var entry : params) {
      if (entry.getValue().indexOf('\0') >= 0) {
        return true;
      }
    }
    return false;
  }

  private static void fail(RoutingContext ctx, ResponseFormat format, Throwable e) {
    Throwable cause = e instanceof RuntimeException && !(e instanceof SubsonicError) ? Call.asSubsonic(e) : e;
    SubsonicError error;
    if (cause instanceof SubsonicError se) {
      error = se;
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
      error = new SubsonicError(SubsonicError.GENERIC, "the server could not answer now; try again");
    }
    send(ctx, format, format.failed(error));
  }

  private static void send(RoutingContext ctx, ResponseFormat format, String body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    // A failed stream may have set these for the bytes it never sent.
    response.headers().remove(HttpHeaders.CONTENT_DISPOSITION).remove(HttpHeaders.ETAG).remove(HttpHeaders.CACHE_CONTROL);
    response.setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)).end();
      return;
    }
    response.end(body);
  }
}
