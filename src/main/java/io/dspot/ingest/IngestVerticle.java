package io.dspot.ingest;

import io.dspot.bus.BusService;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.config.NodeConfig;
import io.dspot.replication.ReplicationAddresses;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * Turns received files into songs: checks the audio, reads its tags, moves the content into the
 * blob store and asks the catalog to add it. Also runs folder imports.
 */
public final class IngestVerticle extends VerticleBase {

  static final DeliveryOptions CATALOG_WRITE = new DeliveryOptions().setSendTimeout(30_000);
  private static final long COPIES_TIMEOUT_MILLIS = 20_000;
  private static final DeliveryOptions COPIES_WAIT = new DeliveryOptions().setSendTimeout(COPIES_TIMEOUT_MILLIS + 5_000);

  private final BlobStore blobs;
  private final NodeConfig.Import importing;
  private final Pool pool;
  private final SongIntake intake;
  private BusService bus;
  private FolderImport imports;

  public IngestVerticle(BlobStore blobs, NodeConfig.Import importing, Pool pool) {
    this.blobs = blobs;
    this.importing = importing;
    this.pool = pool;
    this.intake = new SongIntake(blobs);
  }

  @Override
  public Future<?> start() {
    ImportRoots roots = new ImportRoots(importing.roots());
    imports = new FolderImport(vertx, blobs, intake, new ImportedFiles(pool), this, roots);
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

  /** How the running (or the latest) folder import goes, for metrics: null before the first. */
  public ImportProgress importProgress() {
    return imports == null ? null : imports.progress();
  }

  /**
   * Probes off the event loop, stores the blob, commits the catalog entry, then waits for as many
   * copies as the replication acknowledgement asks (none with {@code ack = local}). The demo
   * library does not wait: it is installed while the node starts, perhaps alone.
   */
  Future<JsonObject> ingest(FileToAdd file) {
    if (!blobs.isTempFile(file.tempFile())) {
      return Future.failedFuture(ServiceException.badRequest("temp file outside the blob store"));
    }
    return vertx.executeBlocking(() -> intake.prepare(file), false)
        .compose(prepared -> vertx.eventBus().<JsonObject>request(CatalogAddresses.SONG_ADD, prepared.song().toJson(), CATALOG_WRITE)
            .map(reply -> reply.body())
            .onFailure(e -> forgetIfNew(prepared))
            .compose(added -> file.demo() ? Future.succeededFuture(added) : awaitCopies(file.sha256()).map(copies -> added)))
        .recover(e -> Future.failedFuture(asServiceFailure(e)));
  }

  /** Waits for as many copies of the blob as the replication acknowledgement asks. */
  Future<Void> awaitCopies(String sha256) {
    return vertx.eventBus().request(ReplicationAddresses.AWAIT,
        new JsonObject().put("sha256", sha256).put("timeoutMs", COPIES_TIMEOUT_MILLIS), COPIES_WAIT).mapEmpty();
  }

  /**
   * {@link #awaitCopies} for a folder import's batch, in one request: the blobs among {@code sha256s}
   * that did not get their copies in time.
   */
  Future<java.util.Set<String>> awaitAllCopies(java.util.List<String> sha256s) {
    if (sha256s.isEmpty()) {
      return Future.succeededFuture(java.util.Set.of());
    }
    return vertx.eventBus().<JsonObject>request(ReplicationAddresses.AWAIT_ALL,
        new JsonObject().put("sha256s", new io.vertx.core.json.JsonArray(sha256s)).put("timeoutMs", COPIES_TIMEOUT_MILLIS), COPIES_WAIT)
        .map(reply -> {
          java.util.Set<String> missing = new java.util.HashSet<>();
          reply.body().getJsonArray("short").forEach(sha -> missing.add((String) sha));
          return missing;
        });
  }

  /** A blob stored for a song the catalog then refused goes again, unless it was there before. */
  void forgetIfNew(SongIntake.Prepared prepared) {
    if (prepared.isNew()) {
      vertx.executeBlocking(() -> {
        blobs.delete(prepared.song().sha256());
        return null;
      }, false);
    }
  }

  static Throwable asServiceFailure(Throwable e) {
    return e instanceof IngestException ie ? new ServiceException(ie.status, ie.getMessage()) : e;
  }
}
