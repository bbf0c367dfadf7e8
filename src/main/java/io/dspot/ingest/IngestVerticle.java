package io.dspot.ingest;

import io.dspot.bus.BusService;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.catalog.SongDraft;
import io.dspot.config.NodeConfig;
import io.dspot.replication.ReplicationAddresses;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns received files into songs: checks the audio, reads its tags, moves the content into the
 * blob store and asks the catalog to add it. Also runs folder imports.
 */
public final class IngestVerticle extends VerticleBase {

  private static final DeliveryOptions CATALOG_WRITE = new DeliveryOptions().setSendTimeout(30_000);
  private static final long COPIES_TIMEOUT_MILLIS = 20_000;
  private static final DeliveryOptions COPIES_WAIT = new DeliveryOptions().setSendTimeout(COPIES_TIMEOUT_MILLIS + 5_000);

  private final BlobStore blobs;
  private final NodeConfig.Import importing;
  private BusService bus;
  private FolderImport imports;

  public IngestVerticle(BlobStore blobs, NodeConfig.Import importing) {
    this.blobs = blobs;
    this.importing = importing;
  }

  @Override
  public Future<?> start() {
    ImportRoots roots = new ImportRoots(importing.roots());
    imports = new FolderImport(vertx, blobs, this::ingest, roots);
    bus = new BusService(vertx)
        .on(IngestAddresses.FILE_ADD, b -> ingest(FileToAdd.fromJson(b)))
        .on(IngestAddresses.FOLDER_IMPORT, b -> imports.start(b.getBoolean("defaultRoot", false) ? roots.defaultRoot() : b.getString("path")))
        .on(IngestAddresses.IMPORT_STATUS, b -> imports.latest());
    return bus.ready();
  }

  @Override
  public Future<?> stop() {
    return bus.close();
  }

  /**
   * Probes off the event loop, stores the blob, commits the catalog entry, then waits for as many
   * copies as the replication acknowledgement asks (none with {@code ack = local}). The demo
   * library does not wait: it is installed while the node starts, perhaps alone.
   */
  Future<JsonObject> ingest(FileToAdd file) {
    Path tempFile = file.tempFile();
    String name = file.name();
    String sha256 = file.sha256();
    if (!blobs.isTempFile(tempFile)) {
      return Future.failedFuture(ServiceException.badRequest("temp file outside the blob store"));
    }
    return vertx.executeBlocking(() -> {
      try {
        AudioFormat format = AudioProbe.sniff(tempFile, name);
        Path named = tempFile.resolveSibling(tempFile.getFileName() + "." + format.extension);
        Files.move(tempFile, named);
        try {
          ProbedSong probed = AudioProbe.read(named, format, name);
          String coverSha = probed.cover() == null ? null : blobs.put(probed.cover());
          // A blob already there but short (a write the disk once lost) is replaced by this verified one.
          boolean isNew = !blobs.contains(sha256, file.size());
          blobs.commit(named, sha256, file.size());
          return new Prepared(new SongDraft(probed.tags(), sha256, file.size(), coverSha, probed.coverType(), file.demo()), isNew);
        } finally {
          blobs.discard(named);
        }
      } catch (IOException | UncheckedIOException e) {
        throw blobs.writeFailure(name, e);
      } finally {
        blobs.discard(tempFile);
      }
    }).compose(prepared -> vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_ADD, prepared.song().toJson(), CATALOG_WRITE)
        .map(reply -> reply.body())
        .onFailure(e -> {
          if (prepared.isNew()) {
            vertx.executeBlocking(() -> {
              blobs.delete(sha256);
              return null;
            });
          }
        })
        .compose(added -> file.demo() ? Future.succeededFuture(added) : vertx.eventBus().request(ReplicationAddresses.AWAIT,
            new JsonObject().put("sha256", sha256).put("timeoutMs", COPIES_TIMEOUT_MILLIS), COPIES_WAIT).map(copies -> added)))
        .recover(e -> Future.failedFuture(e instanceof IngestException ie ? new ServiceException(ie.status, ie.getMessage()) : e));
  }

  private record Prepared(SongDraft song, boolean isNew) {}
}
