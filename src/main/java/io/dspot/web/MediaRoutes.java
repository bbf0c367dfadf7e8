package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.streaming.MediaStreams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Bytes, not JSON: song streams, downloads and album covers, written by the streaming module. */
final class MediaRoutes {

  private final MediaStreams media;

  MediaRoutes(MediaStreams media) {
    this.media = media;
  }

  void mount(Router router) {
    router.get("/api/songs/:id/stream").handler(this::stream);
    router.head("/api/songs/:id/stream").handler(this::stream);
    router.get("/api/albums/:id/cover").handler(this::cover);
    router.get("/api/songs/:id/download").handler(this::songDownload);
    router.get("/api/albums/:id/download").handler(this::albumDownload);
  }

  private void stream(RoutingContext ctx) {
    media.song(ctx, ctx.pathParam("id")).onFailure(e -> ApiReplies.failure(ctx, e));
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
