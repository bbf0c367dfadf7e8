package io.dspot.subsonic;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.streaming.MediaStreams;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Bytes: song streams and downloads (the streaming module's Range, If-Range and HEAD handling,
 * the same as the web player's) and cover art. {@code maxBitRate}, {@code format},
 * {@code timeOffset} and {@code estimateContentLength} are accepted and ignored: the original file
 * is served, as {@code format=raw} would (there is no transcoding yet).
 */
final class MediaMethods {

  private MediaMethods() {}

  static void register(Map<String, Method> methods, MediaStreams media) {
    methods.put("stream", call -> song(call, media, false));
    methods.put("download", call -> song(call, media, true));
    methods.put("getCoverArt", call -> cover(call, media));
  }

  private static Future<Element> song(Call call, MediaStreams media, boolean attachment) {
    String id = SubsonicIds.SONG.parse(call.required("id")).toString();
    if (attachment) {
      call.ctx.response().putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment");
    }
    // formPost: a POST carrying the parameters is answered like a GET.
    return media.song(call.ctx, id, true).map(v -> null);
  }

  /** An album's cover, or a song's (its album's); {@code size} scales it down. Artists have no pictures here: 70. */
  private static Future<Element> cover(Call call, MediaStreams media) {
    String id = call.required("id");
    int size = call.integer("size", 0, 0, Integer.MAX_VALUE);
    Future<String> albumId = SubsonicIds.kindOf(id) == SubsonicIds.SONG
        ? call.bus(CatalogAddresses.SONG_GET, new JsonObject().put("id", SubsonicIds.SONG.parse(id).toString()))
            .map(song -> song.getString("albumId"))
        : Future.succeededFuture(SubsonicIds.ALBUM.parse(id).toString());
    return albumId.compose(album -> media.albumCover(call.ctx.request(), album, size)).recover(e -> Future.failedFuture(Call.asSubsonic(e)))
        .map(v -> null);
  }
}
