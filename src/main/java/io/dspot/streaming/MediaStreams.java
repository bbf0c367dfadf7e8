package io.dspot.streaming;

import io.dspot.bus.Ids;
import io.dspot.bus.ListenerActivity;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.catalog.Song;
import io.dspot.cluster.PeerClient;
import io.dspot.cluster.RelayClient;
import io.dspot.metrics.Metrics;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * The streaming module's one entry for the web module, called in-process: bytes go out with
 * zero-copy {@code sendFile} from this node's disk, or are relayed from a peer that holds the song,
 * which no event-bus message can carry, so the HTTP request itself is handed here. Song and album lookups still go to the catalog over the bus.
 *
 * <p>One instance per HTTP event loop: its cache of resolved songs is not shared and needs no locking.
 */
public final class MediaStreams {

  // Covers are content-addressed like songs; "private" because they need a session.
  private static final String COVER_CACHE_CONTROL = "private, max-age=86400";
  private static final String COVER_DATA_MISSING = "cover data missing";

  private final Vertx vertx;
  private final BlobStore blobs;
  private final RelayClient relay;
  private final SongFiles songFiles;
  private final CoverRelay covers;
  private final AlbumZip albumZips;
  private final ListenerActivity listeners;
  private final ResizedCovers resized;
  private final Transcoder transcoder;
  private final Metrics metrics;

  /**
   * {@code peers} relays a song or cover this node does not hold from one that does; {@code selfNodeId} is this node's id;
   * {@code listeners} hears of every song response, so background copies yield to them.
   */
  public MediaStreams(Vertx vertx, BlobStore blobs, PeerClient peers, String selfNodeId, ListenerActivity listeners, Transcoder transcoder) {
    this.vertx = vertx;
    this.transcoder = transcoder;
    this.listeners = listeners;
    this.blobs = blobs;
    // Built on this instance's event loop, so relayed bodies stay on it.
    this.relay = peers.relayClientForThisEventLoop();
    this.songFiles = new SongFiles(vertx, blobs, relay, selfNodeId);
    this.covers = new CoverRelay(vertx, relay, selfNodeId);
    this.albumZips = new AlbumZip(vertx, songFiles);
    this.resized = new ResizedCovers(blobs.derivedDir("covers"));
    this.metrics = Metrics.of(vertx);
  }

  /**
   * Answers GET or HEAD of a song's bytes (Range, If-Range, If-None-Match), from this node's disk
   * or relayed from a live node that holds it. Throws a {@link ServiceException} for a malformed
   * id; the future fails, with nothing sent, when the song is unknown. Once the song is known the
   * answer is always written here, including the 503 (with Retry-After) for a song no reachable
   * node holds.
   */
  public Future<Void> song(RoutingContext ctx, String songId) {
    return song(ctx, songId, false);
  }

  /**
   * As {@link #song(RoutingContext, String)}; {@code postAsGet}: a POST is answered as a GET (the
   * Subsonic API's form posts carry the parameters in the body, the bytes still go out the same).
   */
  public Future<Void> song(RoutingContext ctx, String songId, boolean postAsGet) {
    HttpServerRequest request = ctx.request();
    listening(ctx);
    return songFiles.resolve(songId).transform(resolved -> {
      if (resolved.succeeded()) {
        StreamResponder.respond(request, resolved.result(), postAsGet);
      } else if (resolved.cause() instanceof SongUnavailable unavailable) {
        StreamResponder.unavailable(request, unavailable);
      } else {
        return Future.failedFuture(resolved.cause());
      }
      return Future.succeededFuture();
    });
  }

  /** Whether {@link #transcoded} can transcode on this node (ffmpeg there, slots configured). */
  public boolean canTranscode() {
    return transcoder.available();
  }

  /**
   * A song through ffmpeg ({@link TranscodedStream}: 200, the whole stream, no Range), or its
   * original file as {@link #song} answers it when all transcode slots are taken or this node
   * holds no copy of it to read (ffmpeg reads local files only).
   */
  public Future<Void> transcoded(RoutingContext ctx, String songId, Transcode transcode) {
    String id = Ids.parse(songId, "song").toString();
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(reply -> {
      Song song = Song.fromJson(reply.body());
      java.nio.file.Path file = blobs.pathFor(song.sha256());
      return vertx.fileSystem().exists(file.toString()).compose(here -> {
        if (!here || !transcoder.acquire()) {
          return song(ctx, id, true);
        }
        listening(ctx);
        return TranscodedStream.send(vertx, ctx, transcoder, file, transcode, song.tags().durationMs() / 1000.0);
      });
    });
  }

  /**
   * Tells listener activity of a response that sends song bytes until it ends, fails, or its
   * connection closes first, and counts the bytes of its body once it ended in a 200 or 206
   * ({@code dspot.stream.bytes}: every route that sends songs, Subsonic's included). Through the
   * routing context: vertx-web owns the response's own end handler (setting it would silence the
   * router's other end handlers, e.g. the connection guard's idle deadline).
   */
  private void listening(RoutingContext ctx) {
    var response = ctx.response();
    ListenerActivity.Response listening = listeners.begin(() -> response.ended() || response.closed());
    ctx.addEndHandler(ended -> {
      listening.end();
      int status = response.getStatusCode();
      if (status == 200 || status == 206) {
        metrics.streamed(response.bytesWritten());
      }
    });
  }

  /**
   * A song's original file as an attachment named "Artist - Title.ext" (see {@link DownloadName}),
   * otherwise answered exactly as {@link #song}, Range included, so a download can resume.
   */
  public Future<Void> songDownload(RoutingContext ctx, String songId) {
    String id = Ids.parse(songId, "song").toString();
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_GET, new JsonObject().put("id", id)).compose(reply -> {
      Song song = Song.fromJson(reply.body());
      ctx.response().putHeader(HttpHeaders.CONTENT_DISPOSITION,
          DownloadName.attachment(DownloadName.song(song.tags().artist(), song.tags().title(), song.tags().contentType())));
      // A failure answered as JSON must not ask to be saved as the song.
      return song(ctx, id).onFailure(e -> ctx.response().headers().remove(HttpHeaders.CONTENT_DISPOSITION));
    });
  }

  /** An album's songs as one zip, streamed as it is produced: see {@link AlbumZip}. Background copies yield to it as to a stream. */
  public Future<Void> albumDownload(RoutingContext ctx, String albumId) {
    listening(ctx);
    return albumZips.send(ctx.request(), albumId);
  }

  /**
   * Answers GET of an album's cover art, from this node's disk or relayed whole from a live node
   * that holds it. Throws a {@link ServiceException} for a malformed id; the future fails, with
   * nothing sent, when the album or its cover is unknown. Once the cover is known the answer is
   * always written here: 404 when its data is missing, 503 (with Retry-After) when this node lacks
   * it and no node holding it is reachable, exactly as for a song.
   */
  public Future<Void> albumCover(HttpServerRequest request, String albumId) {
    return albumCover(request, albumId, 0);
  }

  /**
   * As {@link #albumCover(HttpServerRequest, String)}, scaled to at most {@code size} pixels on its
   * longer side (0: the original). Scaled copies are made from this node's copy of the cover; a
   * cover only a peer holds is relayed at its original size.
   */
  public Future<Void> albumCover(HttpServerRequest request, String albumId, int size) {
    String id = Ids.parse(albumId, "album").toString();
    boolean scale = size > 0 && size < ResizedCovers.MAX_SIZE;
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.ALBUM_COVER, new JsonObject().put("id", id)).compose(reply -> {
      String sha = reply.body().getString("sha256");
      String etag = "\"" + sha + (scale ? "-" + size : "") + "\"";
      var response = request.response()
          .putHeader(HttpHeaders.ETAG, etag)
          .putHeader(HttpHeaders.CACHE_CONTROL, COVER_CACHE_CONTROL);
      if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
        return response.setStatusCode(304).end();
      }
      Path original = blobs.pathFor(sha);
      return vertx.fileSystem().props(original.toString())
          .transform(props -> {
            if (!props.succeeded() || !props.result().isRegularFile()) {
              response.putHeader(HttpHeaders.CONTENT_TYPE, reply.body().getString("contentType"));
              return covers.send(response, sha);
            }
            if (!scale) {
              response.putHeader(HttpHeaders.CONTENT_TYPE, reply.body().getString("contentType"));
              return response.sendFile(original.toString());
            }
            return vertx.executeBlocking(() -> resized.scaled(original, sha, size)).compose(file -> {
              Path chosen = file == null ? original : file;
              response.putHeader(HttpHeaders.CONTENT_TYPE, chosen.equals(original) ? reply.body().getString("contentType") : "image/jpeg");
              return response.sendFile(chosen.toString());
            });
          })
          .recover(failure -> StreamResponder.afterSendFailure(request, failure, COVER_DATA_MISSING).otherwiseEmpty());
    });
  }

  public Future<Void> close() {
    return Future.join(songFiles.close(), relay.close()).mapEmpty();
  }

  /**
   * A song asked for in another shape: {@code format} (mp3 or opus) at {@code kbps}, starting
   * {@code offsetSeconds} in; {@code estimateLength}: announce a Content-Length from bitrate ×
   * duration (the body is then cut or padded to exactly that many bytes).
   */
  public record Transcode(String format, int kbps, int offsetSeconds, boolean estimateLength) {

    public static final java.util.Set<String> FORMATS = java.util.Set.of("mp3", "opus");

    public Transcode {
      if (!FORMATS.contains(format)) {
        throw new IllegalArgumentException("no transcoding to " + format);
      }
    }

    String contentType() {
      return format.equals("opus") ? "audio/ogg" : "audio/mpeg";
    }

    /** ffmpeg's arguments after the input. */
    java.util.List<String> output() {
      return format.equals("opus")
          ? java.util.List.of("-c:a", "libopus", "-b:a", kbps + "k", "-f", "ogg", "pipe:1")
          : java.util.List.of("-c:a", "libmp3lame", "-b:a", kbps + "k", "-f", "mp3", "pipe:1");
    }
  }
}
