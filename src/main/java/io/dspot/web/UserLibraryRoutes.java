package io.dspot.web;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.http.RequestParams;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The listener's own library: favourites, ratings, plays and the home view. The caller is always
 * the logged-in user ({@link BusCall} says who asks); nobody sees or changes another's.
 */
final class UserLibraryRoutes {

  void mount(Router router) {
    router.get("/api/home").handler(BusCall.to(CatalogAddresses.HOME, ctx -> new JsonObject()));

    router.get("/api/favourites").handler(BusCall.to(CatalogAddresses.FAVOURITE_LIST, RequestParams::paged));
    router.get("/api/favourites/:kind").handler(BusCall.to(CatalogAddresses.FAVOURITE_LIST,
        ctx -> RequestParams.paged(ctx).put("kind", ctx.pathParam("kind"))));
    router.put("/api/favourites/:kind/:id").handler(BusCall.to(CatalogAddresses.FAVOURITE_STAR,
        ctx -> RequestParams.withId(ctx).put("kind", ctx.pathParam("kind"))));
    router.delete("/api/favourites/:kind/:id").handler(BusCall.to(CatalogAddresses.FAVOURITE_UNSTAR,
        ctx -> RequestParams.withId(ctx).put("kind", ctx.pathParam("kind")), 204));

    router.put("/api/ratings/:id").handler(BusCall.to(CatalogAddresses.RATING_SET,
        ctx -> RequestParams.withId(ctx).put("rating", RequestParams.body(ctx).getValue("rating"))));
    router.delete("/api/ratings/:id").handler(BusCall.to(CatalogAddresses.RATING_CLEAR, RequestParams::withId, 204));

    router.post("/api/plays").handler(BusCall.to(CatalogAddresses.PLAY_RECORD,
        ctx -> new JsonObject().put("songId", RequestParams.body(ctx).getValue("songId")), 201));
    router.get("/api/history").handler(BusCall.to(CatalogAddresses.PLAY_HISTORY, RequestParams::paged));
  }
}
