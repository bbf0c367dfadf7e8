package io.dspot.web;

import io.dspot.http.ApiReplies;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.storage.BlobStore;
import io.dspot.streaming.SongFiles;
import io.dspot.streaming.StreamResponder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Bytes, not JSON: song streams and album covers. */
final class MediaRoutes {

  private final SongFiles songFiles;
  private final BlobStore blobs;

  MediaRoutes(SongFiles songFiles, BlobStore blobs) {
    this.songFiles = songFiles;
    this.blobs = blobs;
  }

  void mount(Router router) {
    router.get("/api/songs/:id/stream").handler(this::stream);
    router.head("/api/songs/:id/stream").handler(this::stream);
    router.get("/api/albums/:id/cover").handler(this::cover);
  }

  private void stream(RoutingContext ctx) {
    try {
      songFiles.resolve(ctx.pathParam("id"))
          .onSuccess(file -> StreamResponder.respond(ctx.request(), file))
          .onFailure(e -> ApiReplies.failure(ctx, e));
    } catch (ServiceException e) {
      ApiReplies.error(ctx, e.status, e.getMessage());
    }
  }

  private void cover(RoutingContext ctx) {
    String id;
    try {
      id = Ids.parse(ctx.pathParam("id"), "album").toString();
    } catch (ServiceException e) {
      ApiReplies.error(ctx, e.status, e.getMessage());
      return;
    }
    ctx.vertx().eventBus().<JsonObject>request(CatalogAddresses.ALBUM_COVER, new JsonObject().put("id", id))
        .onSuccess(reply -> {
          String sha = reply.body().getString("sha256");
          String etag = "\"" + sha + "\"";
          var response = ctx.response()
              .putHeader(HttpHeaders.ETAG, etag)
              .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=86400");
          if (etag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
          }
          response.putHeader(HttpHeaders.CONTENT_TYPE, reply.body().getString("contentType"))
              .sendFile(blobs.pathFor(sha).toString())
              .onFailure(e -> ApiReplies.error(ctx, 404, "cover data missing"));
        })
        .onFailure(e -> ApiReplies.failure(ctx, e));
  }
}
