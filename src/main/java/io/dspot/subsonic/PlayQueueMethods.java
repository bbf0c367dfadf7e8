package io.dspot.subsonic;

import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** getPlayQueue/savePlayQueue: the catalog's per-listener queue, which the web player shares. */
final class PlayQueueMethods {

  private PlayQueueMethods() {}

  static void register(Map<String, Method> methods) {
    methods.put("getPlayQueue", call -> call.bus(CatalogAddresses.PLAY_QUEUE_GET, new JsonObject()).map(q -> shape(call, q)));
    methods.put("savePlayQueue", PlayQueueMethods::save);
  }

  /** No id clears the queue; {@code position} is milliseconds into {@code current}. */
  private static Future<Element> save(Call call) {
    JsonArray ids = new JsonArray();
    call.all("id").forEach(id -> ids.add(SubsonicIds.SONG.parse(id).toString()));
    String current = call.optional("current");
    long position = call.params.contains("position") ? longParam(call, "position") : 0;
    JsonObject body = new JsonObject().put("songIds", ids)
        .put("current", current == null || current.isEmpty() ? null : SubsonicIds.SONG.parse(current).toString())
        .put("position", position).put("changedBy", call.optional("c") == null || call.optional("c").isBlank() ? "unknown" : call.optional("c"));
    return call.bus(CatalogAddresses.PLAY_QUEUE_SAVE, body).map(v -> Element.response());
  }

  private static long longParam(Call call, String name) {
    try {
      long value = Long.parseLong(call.required(name).trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new SubsonicError(SubsonicError.GENERIC, name + " must be a whole number of milliseconds, 0 or more");
  }

  /** OpenSubsonic: an empty answer when the listener never saved a queue. */
  private static Element shape(Call call, JsonObject q) {
    if (q.getString("changedAt") == null) {
      return Element.response();
    }
    return Element.response().with(new Element("playQueue")
        .set("current", SubsonicIds.SONG.of(q.getString("current")))
        .set("position", q.getLong("position"))
        .set("username", call.username())
        .set("changed", q.getString("changedAt"))
        .set("changedBy", q.getString("changedBy"))
        .list("entry", Shapes.each(q.getJsonArray("songs"), s -> Shapes.song("entry", s))));
  }
}
