package io.dspot.web;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.http.RequestParams;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The caller's play queue, the one their Subsonic apps share ({@code getPlayQueue}/{@code
 * savePlayQueue}): read it, or replace it whole.
 */
final class PlayQueueRoutes {

  void mount(Router router) {
    router.get("/api/playqueue").handler(BusCall.to(CatalogAddresses.PLAY_QUEUE_GET, ctx -> new JsonObject()));
    router.put("/api/playqueue").handler(BusCall.to(CatalogAddresses.PLAY_QUEUE_SAVE, ctx -> {
      JsonObject body = RequestParams.body(ctx);
      return new JsonObject().put("songIds", body.getValue("songIds")).put("current", body.getValue("current"))
          .put("position", body.getValue("position")).put("changedBy", body.getValue("changedBy", "web player"));
    }));
  }
}
