package io.dspot.streaming;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * An album as one zip download, streamed song after song while it is produced: nothing is held
 * beyond a chunk, in memory or on disk. Each song's bytes come through the same {@link SongBytes}
 * as a stream (this node's disk, or relayed from a holder with failover), on the request's event
 * loop with the response's back-pressure; so no {@code ZipOutputStream} and no worker thread
 * parked per download. The archive's layout is {@link StoredZip}'s.
 */
final class AlbumZip {

  private static final String ZIP = "application/zip";
  private static final String SONG_DATA_MISSING = "song data missing";

  private final Vertx vertx;
  private final SongFiles songFiles;

  AlbumZip(Vertx vertx, SongFiles songFiles) {
    this.vertx = vertx;
    this.songFiles = songFiles;
  }

  /**
   * Answers the album's zip. Fails, with nothing sent, for an unknown album (404) or one too large
   * for plain zip (413); answers 503 itself when a song's bytes are on no reachable node.
   */
  Future<Void> send(HttpServerRequest request, String albumId) {
    String id = Ids.parse(albumId, "album").toString();
    return vertx.eventBus().<JsonObject>request(CatalogAddresses.ALBUM_GET, new JsonObject().put("id", id)).compose(reply -> {
      JsonObject album = reply.body();
      List<JsonObject> songs = new ArrayList<>();
      album.getJsonArray("songs").forEach(s -> songs.add((JsonObject) s));
      List<Future<StreamableFile>> files = songs.stream().map(s -> songFiles.resolve(s.getString("id"))).toList();
      return Future.all(files).transform(resolved -> {
        if (resolved.failed()) {
          if (resolved.cause() instanceof SongUnavailable unavailable) {
            return StreamResponder.unavailable(request, unavailable);
          }
          return Future.failedFuture(resolved.cause());
        }
        String folder = DownloadName.segment(album.getString("artist") + " - " + album.getString("title"), "album");
        List<StreamableFile> sources = files.stream().map(Future::result).toList();
        StoredZip zip = new StoredZip(entries(folder, songs, sources));
        if (!zip.fits()) {
          throw new ServiceException(413, "album too large for one zip (over 4 GiB); download its songs one by one");
        }
        request.response().setStatusCode(200)
            .putHeader(HttpHeaders.CONTENT_TYPE, ZIP)
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(zip.length()))
            .putHeader(HttpHeaders.CONTENT_DISPOSITION, DownloadName.attachment(folder + ".zip"))
            .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
        return entriesFrom(request.response(), zip, sources, 0)
            .compose(v -> request.response().end(zip.directory()))
            .recover(failure -> StreamResponder.afterSendFailure(request, failure, SONG_DATA_MISSING));
      });
    });
  }

  /** "Folder/NN - Title.ext", made unique within the archive. */
  private static List<StoredZip.Entry> entries(String folder, List<JsonObject> songs, List<StreamableFile> files) {
    List<StoredZip.Entry> entries = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < songs.size(); i++) {
      JsonObject song = songs.get(i);
      Integer track = song.getInteger("track");
      String base = (track == null ? "" : String.format("%02d - ", track)) + DownloadName.segment(song.getString("title"), "Untitled");
      String extension = "." + DownloadName.extension(files.get(i).contentType());
      String name = base + extension;
      for (int n = 2; !taken.add(name.toLowerCase(java.util.Locale.ROOT)); n++) {
        name = base + " (" + n + ")" + extension;
      }
      entries.add(new StoredZip.Entry(folder + "/" + name, files.get(i).size(), files.get(i).lastModified()));
    }
    return entries;
  }

  /** One entry after the other: its header goes out with its first bytes, its descriptor after its last. */
  private static Future<Void> entriesFrom(HttpServerResponse response, StoredZip zip, List<StreamableFile> files, int i) {
    if (i == zip.size()) {
      return Future.succeededFuture();
    }
    Buffer header = zip.localHeader(i);
    CRC32 crc = new CRC32();
    HttpServerResponse counted = checksummed(response, crc, header.length());
    return files.get(i).bytes().copying(copier -> copier.copy(counted, header, 0, zip.entry(i).size()))
        .compose(v -> response.write(zip.dataDescriptor(i, crc.getValue())))
        .compose(v -> entriesFrom(response, zip, files, i + 1));
  }

  /**
   * The response, with every body byte written through it after the first {@code skip} (the
   * entry's header) added to {@code crc}. A proxy because {@link SongBytes} writes into a response
   * (it also watches its write queue and close), and the CRC must see exactly what was sent.
   */
  private static HttpServerResponse checksummed(HttpServerResponse response, CRC32 crc, int skip) {
    int[] toSkip = {skip};
    return (HttpServerResponse) Proxy.newProxyInstance(HttpServerResponse.class.getClassLoader(),
        new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
          if (method.getName().equals("write") && args != null && args.length == 1 && args[0] instanceof Buffer chunk) {
            byte[] bytes = chunk.getBytes();
            int skipped = Math.min(toSkip[0], bytes.length);
            toSkip[0] -= skipped;
            crc.update(bytes, skipped, bytes.length - skipped);
          }
          try {
            return method.invoke(response, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
