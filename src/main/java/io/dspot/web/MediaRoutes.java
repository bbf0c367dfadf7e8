package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.streaming.MediaStreams;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Bytes, not JSON: song streams, downloads and album covers, written by the streaming module. */
final class MediaRoutes {

  private static final String SONGS = "/api/songs/";
  private static final String STREAM = "/stream";
  /** The template the regular route has, so metrics count both under one route. */
  private static final String STREAM_ROUTE = SONGS + ":id" + STREAM;

  private final MediaStreams media;

  MediaRoutes(MediaStreams media) {
    this.media = media;
  }

  /**
   * The song stream, the hot path of seeking (every range is a request), matched ahead of the
   * other API routes by a prefix and a character scan instead of trying route after route and a
   * path regex (bench/ranges.md, round 7). Mounted where the regular route would be reached with
   * the same handlers before it: after every guard and authentication; no route mounted between
   * here and {@link #mount} matches a stream's path. A path this does not recognise exactly goes on
   * to the routes, the regular stream route included.
   */
  void mountStreamFirst(Router router) {
    router.route(SONGS + "*").setName(STREAM_ROUTE).handler(ctx -> {
      String id = plainStreamId(ctx.request());
      if (id == null) {
        ctx.next();
      } else {
        stream(ctx, id);
      }
    });
  }

  /**
   * The id in GET or HEAD {@code /api/songs/<id>/stream} when the path is that exactly and the id
   * is made of hex digits and dashes (what song ids are: no decoding, no dot segments, the path as
   * sent is the normalised one); null for anything else.
   */
  static String plainStreamId(HttpServerRequest request) {
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return null;
    }
    String path = request.path();
    int start = SONGS.length();
    int end = path.length() - STREAM.length();
    if (end <= start || !path.startsWith(SONGS) || !path.endsWith(STREAM)) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char c = path.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-')) {
        return null;
      }
    }
    return path.substring(start, end);
  }

  void mount(Router router) {
    router.get(STREAM_ROUTE).handler(this::stream);
    router.head(STREAM_ROUTE).handler(this::stream);
    router.get("/api/albums/:id/cover").handler(this::cover);
    router.get("/api/songs/:id/download").handler(this::songDownload);
    router.get("/api/albums/:id/download").handler(this::albumDownload);
  }

  private void stream(RoutingContext ctx) {
    stream(ctx, ctx.pathParam("id"));
  }

  private void stream(RoutingContext ctx, String id) {
    media.song(ctx, id).onFailure(e -> ApiReplies.failure(ctx, e));
  }

  private void songDownload(RoutingContext ctx) {
    media.songDownload(ctx, ctx.pathParam("id")).onFailure(e -> ApiReplies.failure(ctx, e));
  }

  private void albumDownload(RoutingContext ctx) {
    media.albumDownload(ctx, ctx.pathParam("id")).onFailure(e -> ApiReplies.failure(ctx, e));
  }

  private void cover(RoutingContext ctx) {
    media.albumCover(ctx.request(), ctx.pathParam("id")).onFailure(e -> ApiReplies.failure(ctx, e));
  }
}
