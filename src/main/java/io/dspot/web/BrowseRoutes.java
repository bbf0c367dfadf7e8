package io.dspot.web;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.http.RequestParams;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Browsing the whole library: genres, years, the ids of a whole song list (play-all), songs by id,
 * and the grouped search. Mounted before {@link LibraryRoutes}, so {@code /api/songs/ids} is not
 * taken for a song id.
 */
final class BrowseRoutes {

  /** What album and artist lists can be narrowed by. */
  private static final List<String> GENRE_AND_YEAR = List.of("genre", "year", "decade");
  private static final String IDS = "ids";

  void mount(Router router) {
    router.get("/api/genres").handler(BusCall.to(CatalogAddresses.GENRE_LIST, ctx -> new JsonObject()));
    router.get("/api/years").handler(BusCall.to(CatalogAddresses.YEAR_LIST, ctx -> new JsonObject()));
    router.get("/api/songs/ids").handler(BusCall.to(CatalogAddresses.SONG_IDS, ctx -> songFilters(ctx, new JsonObject())));
    // ?ids= asks for those songs (a player filling its queue); without it the plain list answers.
    router.get("/api/songs").handler(ctx -> {
      if (ctx.request().getParam(IDS) == null) {
        ctx.next();
      } else {
        BusCall.to(CatalogAddresses.SONG_BATCH, c -> new JsonObject().put(IDS, c.request().getParam(IDS))).handle(ctx);
      }
    });
    router.get("/api/search").handler(BusCall.to(CatalogAddresses.SEARCH, ctx -> songFilters(ctx, RequestParams.paged(ctx))));
  }

  /** The song list's filter and order parameters, as the client sent them: the catalog validates them. */
  static JsonObject songFilters(RoutingContext ctx, JsonObject body) {
    return copy(ctx, CatalogAddresses.SONG_FILTERS, body);
  }

  static JsonObject genreAndYear(RoutingContext ctx, JsonObject body) {
    return copy(ctx, GENRE_AND_YEAR, body);
  }

  private static JsonObject copy(RoutingContext ctx, List<String> names, JsonObject body) {
    for (String name : names) {
      body.put(name, ctx.request().getParam(name));
    }
    return body;
  }
}
