package io.dspot.subsonic;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.streaming.MediaStreams;
import io.dspot.streaming.MediaStreams.Transcode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes: song streams and downloads (the streaming module's Range, If-Range and HEAD handling,
 * the same as the web player's), transcoded streams ({@link #stream}) and cover art.
 */
final class MediaMethods {

  private static final Logger log = LoggerFactory.getLogger(MediaMethods.class);
  /** What a format asked without maxBitRate is encoded at. */
  private static final Map<String, Integer> DEFAULT_KBPS = Map.of("mp3", 192, "opus", 128);
  private static final int MIN_KBPS = 32;
  private static final int MAX_KBPS = 320;
  private static final Set<String> warnedFormats = ConcurrentHashMap.newKeySet();

  private MediaMethods() {}

  static void register(Map<String, Method> methods, MediaStreams media) {
    methods.put("stream", call -> stream(call, media));
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

  /**
   * The original file, unless the client asks for another format ({@code format} mp3 or opus;
   * {@code raw} is the original), a bitrate below the file's ({@code maxBitRate}, kbps) or a
   * later start ({@code timeOffset}, seconds): then ffmpeg makes it, when this node has ffmpeg.
   */
  private static Future<Element> stream(Call call, MediaStreams media) {
    String id = SubsonicIds.SONG.parse(call.required("id")).toString();
    String format = call.optional("format") == null ? "" : call.optional("format").strip().toLowerCase(java.util.Locale.ROOT);
    int maxBitRate = call.integer("maxBitRate", 0, 0, 100_000);
    int offset = call.integer("timeOffset", 0, 0, 1_000_000);
    boolean estimate = "true".equalsIgnoreCase(call.optional("estimateContentLength"));
    if (format.equals("raw") || !media.canTranscode()) {
      return song(call, media, false);
    }
    if (!format.isEmpty() && !Transcode.FORMATS.contains(format)) {
      if (warnedFormats.add(format) && warnedFormats.size() < 50) {
        log.info("stream format '{}' is not one this server makes (mp3, opus): the original file is served", format);
      }
      return song(call, media, false);
    }
    return call.bus(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(s -> {
      Integer bitrate = s.getInteger("bitrate");
      String source = Shapes.suffix(s.getString("contentType"));
      boolean otherFormat = !format.isEmpty() && !format.equals(source);
      boolean lower = maxBitRate > 0 && (bitrate == null || maxBitRate < bitrate);
      if (!otherFormat && !lower && offset == 0) {
        return song(call, media, false);
      }
      String target = format.isEmpty() ? "mp3" : format;
      int kbps = maxBitRate > 0 ? maxBitRate : DEFAULT_KBPS.get(target);
      if (bitrate != null && bitrate > 0) {
        kbps = Math.min(kbps, bitrate);
      }
      Transcode transcode = new Transcode(target, Math.max(MIN_KBPS, Math.min(MAX_KBPS, kbps)), offset, estimate);
      return media.transcoded(call.ctx, id, transcode).map(v -> (Element) null);
    });
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
