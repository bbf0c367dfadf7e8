package io.dspot.web;

import io.dspot.http.RequestParams;

import io.dspot.catalog.CatalogAddresses;
import io.vertx.ext.web.Router;

/** Browsing and searching the catalog, and the listener's own playlists. */
final class LibraryRoutes {

  void mount(Router router) {
    router.get("/api/artists").handler(BusCall.to(CatalogAddresses.ARTIST_LIST,
        ctx -> BrowseRoutes.genreAndYear(ctx, RequestParams.paged(ctx)).put("q", ctx.request().getParam("q"))));
    router.get("/api/artists/:id").handler(BusCall.to(CatalogAddresses.ARTIST_GET, RequestParams::withId));
    router.get("/api/albums").handler(BusCall.to(CatalogAddresses.ALBUM_LIST,
        ctx -> BrowseRoutes.genreAndYear(ctx, RequestParams.paged(ctx)).put("artistId", ctx.request().getParam("artistId"))));
    router.get("/api/albums/:id").handler(BusCall.to(CatalogAddresses.ALBUM_GET, RequestParams::withId));
    router.get("/api/songs").handler(BusCall.to(CatalogAddresses.SONG_LIST,
        ctx -> BrowseRoutes.songFilters(ctx, RequestParams.paged(ctx)).put(CatalogAddresses.AFTER, ctx.request().getParam(CatalogAddresses.AFTER))));
    router.get("/api/songs/:id").handler(BusCall.to(CatalogAddresses.SONG_GET, RequestParams::withId));
    router.delete("/api/songs/:id").handler(Authentication.adminOnly())
        .handler(BusCall.to(CatalogAddresses.SONG_DELETE, RequestParams::withId, 204));

    router.get("/api/playlists").handler(BusCall.to(CatalogAddresses.PLAYLIST_LIST,
        RequestParams::paged));
    router.post("/api/playlists").handler(BusCall.to(CatalogAddresses.PLAYLIST_CREATE,
        RequestParams::body, 201));
    router.get("/api/playlists/:id").handler(BusCall.to(CatalogAddresses.PLAYLIST_GET,
        RequestParams::withId));
    router.put("/api/playlists/:id").handler(BusCall.to(CatalogAddresses.PLAYLIST_UPDATE,
        ctx -> RequestParams.body(ctx).put("id", ctx.pathParam("id"))));
    router.delete("/api/playlists/:id").handler(BusCall.to(CatalogAddresses.PLAYLIST_DELETE,
        RequestParams::withId, 204));
  }
}
