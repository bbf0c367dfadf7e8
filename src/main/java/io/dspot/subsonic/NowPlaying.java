package io.dspot.subsonic;

import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who plays what, across the cluster: a clustered map (Hazelcast's, through Vert.x shared data)
 * keyed by user and client, each entry expiring shortly after its song would end, so a client
 * that stops without a word drops off by itself and every node answers alike. Nothing is written
 * to the catalog: it is a moment, not history (plays are recorded by scrobble submissions).
 */
final class NowPlaying {

  private static final String MAP = "subsonic.nowPlaying";
  /** Grace after the song's end before the entry goes (pauses, a slow network). */
  private static final long GRACE_MS = 60_000;

  /** {songId, username, client, since (epoch ms)}: the song's UUID without prefix. */
  Future<Void> playing(Call call, String songUuid) {
    String client = call.optional("c") == null ? "unknown" : call.optional("c");
    return call.bus(CatalogAddresses.SONG_GET, new JsonObject().put("id", songUuid)).compose(song -> {
      long ttl = Math.round(song.getDouble("duration", 0.0) * 1000) + GRACE_MS;
      JsonObject entry = new JsonObject().put("songId", songUuid).put("username", call.username()).put("client", client)
          .put("since", System.currentTimeMillis());
      return map(call).compose(m -> m.put(call.userId() + "/" + client, entry.encode(), ttl));
    });
  }

  Future<Element> answer(Call call) {
    return map(call).compose(AsyncMap::entries).compose(entries -> {
      List<JsonObject> playing = entries.values().stream().map(JsonObject::new).toList();
      if (playing.isEmpty()) {
        return Future.succeededFuture(Element.response().with(new Element("nowPlaying").list("entry", List.of())));
      }
      String ids = String.join(",", playing.stream().map(e -> e.getString("songId")).distinct().toList());
      return call.bus(CatalogAddresses.SONG_BATCH, new JsonObject().put("ids", ids)).map(page -> {
        Map<String, JsonObject> songs = new java.util.HashMap<>();
        page.getJsonArray("items").forEach(s -> songs.put(((JsonObject) s).getString("id"), (JsonObject) s));
        List<Element> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (JsonObject e : playing) {
          JsonObject song = songs.get(e.getString("songId"));
          if (song != null) {
            out.add(Shapes.song("entry", song)
                .set("username", e.getString("username"))
                .set("minutesAgo", (now - e.getLong("since")) / 60_000)
                // Subsonic wants a number per player; the client name's hash is stable across calls.
                .set("playerId", e.getString("client").hashCode() & 0x7fffffff)
                .set("playerName", e.getString("client")));
          }
        }
        return Element.response().with(new Element("nowPlaying").list("entry", out));
      });
    });
  }

  private static Future<AsyncMap<String, String>> map(Call call) {
    return call.ctx.vertx().sharedData().getAsyncMap(MAP);
  }
}
