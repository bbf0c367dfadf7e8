package io.dspot.ingest;

import io.dspot.bus.BusService;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns received files into songs: checks the audio, reads its tags, moves the content into the
 * blob store and asks the catalog to add it. Also runs folder imports.
 */
public final class IngestVerticle extends VerticleBase {

  private static final DeliveryOptions CATALOG_WRITE = new DeliveryOptions().setSendTimeout(30_000);

  private final BlobStore blobs;
  private BusService bus;
  private FolderImport imports;

  public IngestVerticle(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  public Future<?> start() {
    imports = new FolderImport(vertx, blobs, this::ingest);
    bus = new BusService(vertx)
        .on(IngestAddresses.FILE_ADD, b -> ingest(Path.of(b.getString("tempFile")), b.getString("name"),
            b.getString("sha256"), b.getLong("size"), b.getBoolean("demo", false)))
        .on(IngestAddresses.FOLDER_IMPORT, b -> imports.start(b.getString("path")))
        .on(IngestAddresses.IMPORT_STATUS, b -> imports.latest());
    return bus.ready();
  }

  @Override
  public Future<?> stop() {
    return bus.close();
  }

  /** Probes off the event loop, stores the blob, then commits the catalog entry. */
  Future<JsonObject> ingest(Path tempFile, String name, String sha256, long size, boolean demo) {
    if (!tempFile.startsWith(blobs.newTempFile("").getParent())) {
      return Future.failedFuture(ServiceException.badRequest("temp file outside the blob store"));
    }
    return vertx.executeBlocking(() -> {
      try {
        AudioFormat format = AudioProbe.sniff(tempFile, name);
        Path named = tempFile.resolveSibling(tempFile.getFileName() + "." + format.extension);
        Files.move(tempFile, named);
        try {
          SongTags tags = AudioProbe.read(named, format, name);
          String coverSha = tags.cover() == null ? null : blobs.put(tags.cover());
          boolean isNew = !blobs.contains(sha256);
          blobs.commit(named, sha256);
          return new Prepared(songJson(tags, sha256, size, coverSha, demo), isNew);
        } finally {
          blobs.discard(named);
        }
      } finally {
        blobs.discard(tempFile);
      }
    }).compose(prepared -> vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_ADD, prepared.song(), CATALOG_WRITE)
        .map(reply -> reply.body())
        .onFailure(e -> {
          if (prepared.isNew()) {
            vertx.executeBlocking(() -> {
              blobs.delete(sha256);
              return null;
            });
          }
        })).recover(e -> Future.failedFuture(e instanceof IngestException ie ? new ServiceException(ie.status, ie.getMessage()) : e));
  }

  private record Prepared(JsonObject song, boolean isNew) {}

  private static JsonObject songJson(SongTags t, String sha256, long size, String coverSha, boolean demo) {
    return new JsonObject()
        .put("sha256", sha256)
        .put("size", size)
        .put("title", t.title())
        .put("artist", t.artist())
        .put("album", t.album())
        .put("albumArtist", t.albumArtist())
        .put("track", t.track())
        .put("disc", t.disc())
        .put("year", t.year())
        .put("genre", t.genre())
        .put("durationMs", t.durationMs())
        .put("bitrate", t.bitrateKbps())
        .put("codec", t.codec())
        .put("contentType", t.contentType())
        .put("coverSha256", coverSha)
        .put("coverType", t.coverType())
        .put("demo", demo);
  }
}
