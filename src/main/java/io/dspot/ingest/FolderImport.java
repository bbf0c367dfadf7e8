package io.dspot.ingest;

import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.metrics.Metrics;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a folder tree; one import runs at a time. Files unchanged since an earlier import (path,
 * size, modification time) are skipped. The others are copied in (hashed on the way), probed and
 * stored by several worker threads at once, and their songs committed to the catalog in batches:
 * whatever is ready when the previous batch is committed goes in the next (one ordered-log record
 * each), so the batches grow as large as the commits are slow.
 */
final class FolderImport {

  private static final Logger log = LoggerFactory.getLogger(FolderImport.class);
  private static final Set<String> AUDIO_EXTENSIONS = Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "wav");
  /**
   * Files probed and stored at once. Twice the cores: each file waits on two fsyncs (the blob and
   * its directory) besides its CPU work, and fsyncs of several threads overlap. Bounded, because the
   * worker pool is shared with every other blocking task of the node.
   */
  static final int CONCURRENCY = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  /** Songs per catalog batch at most (the catalog's own limit is higher). */
  static final int BATCH = 200;
  /**
   * Songs a batch waits for while files are still being probed. Committing whatever was ready made
   * batches of ~40 songs (24 for 1,000 files), each paying a transaction, its queries, a log record,
   * a reconcile pass and the record of its files on the event loops and in PostgreSQL. The workers
   * keep probing meanwhile (up to two batches ahead), and the last batch takes what is left.
   */
  static final int MIN_BATCH = 100;
  private static final long LOG_EVERY_MILLIS = 2_000;

  private final Vertx vertx;
  private final BlobStore blobs;
  private final SongIntake intake;
  private final ImportedFiles importedFiles;
  private final IngestVerticle ingest;
  private final ImportRoots roots;
  private ImportProgress latest;

  FolderImport(Vertx vertx, BlobStore blobs, SongIntake intake, ImportedFiles importedFiles, IngestVerticle ingest, ImportRoots roots) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.intake = intake;
    this.importedFiles = importedFiles;
    this.ingest = ingest;
    this.roots = roots;
  }

  ImportProgress progress() {
    return latest;
  }

  Future<JsonObject> latest() {
    return latest == null ? Future.failedFuture(ServiceException.notFound("no import has run yet")) : Future.succeededFuture(latest.toJson());
  }

  /** Validates the folder, answers with the job and lets it run; IMPORT_FINISHED is published at the end. */
  Future<JsonObject> start(String path) {
    if (path == null || path.isBlank()) {
      return Future.failedFuture(ServiceException.badRequest("path is required"));
    }
    if (latest != null && latest.running()) {
      return Future.failedFuture(ServiceException.conflict("an import of " + latest.path() + " is still running"));
    }
    ImportProgress previous = latest;
    ImportProgress job = new ImportProgress(path, System.nanoTime());
    latest = job;
    return vertx.executeBlocking(() -> listAudio(roots.folder(path)), false)
        .compose(listing -> importedFiles.unchanged(listing.files()).map(unchanged -> {
          job.found(listing.files().size() + listing.refused().size());
          listing.refused().forEach(file -> job.failed(listing.folder().relative(file), "a symbolic link to a file outside the import root: refused"));
          List<ImportedFiles.Seen> changed = listing.files().stream().filter(f -> !unchanged.contains(f.path())).toList();
          job.unchanged(listing.files().size() - changed.size());
          log.info("import of {}: {} audio files found, {} unchanged since they were imported", path, listing.files().size(), unchanged.size());
          new Run(job, listing.folder(), changed).begin();
          return job.toJson();
        }))
        .onFailure(e -> {
          job.end("failed", e.getMessage());
          if (e instanceof ServiceException refused && refused.status < 500) {
            latest = previous; // a refused folder is no import: the status keeps showing the last one
          }
        });
  }

  /** One file's song, ready for the catalog. */
  private record Ready(ImportedFiles.Seen file, SongIntake.Prepared prepared) {}

  /** One import's pipeline; every method runs on the verticle's event loop. */
  private final class Run {
    private final ImportProgress job;
    private final ImportRoots.Folder folder;
    /**
     * The files still to start, taken from the front as they start: a file's entry is garbage once
     * its song is on its way, so the listing (~120 bytes a file: 12 MB of 100,000 in a class
     * histogram) shrinks over the import instead of staying on the heap to its end.
     */
    private final ArrayDeque<ImportedFiles.Seen> files;
    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    private final long logTimer;
    private int probing;
    private int batchesOpen;
    private boolean committing;

    Run(ImportProgress job, ImportRoots.Folder folder, List<ImportedFiles.Seen> files) {
      this.job = job;
      this.folder = folder;
      this.files = new ArrayDeque<>(files);
      this.logTimer = vertx.setPeriodic(LOG_EVERY_MILLIS, t -> log.info("import of {}: {}", job.path(), job.describe()));
    }

    void begin() {
      pump();
      finishIfDone(); // nothing to do: every file unchanged
    }

    /** Starts probing files up to the concurrency, and no further ahead of the catalog than two batches. */
    void pump() {
      while (probing < CONCURRENCY && !files.isEmpty() && ready.size() + probing < 2 * BATCH) {
        ImportedFiles.Seen file = files.poll();
        probing++;
        vertx.executeBlocking(() -> intake.prepareUnforced(copyIn(file.file())), false).onComplete(result -> {
          probing--;
          if (result.succeeded()) {
            ready.add(new Ready(file, result.result()));
          } else {
            fail(file, IngestVerticle.asServiceFailure(result.cause()).getMessage());
          }
          commitReady();
          pump();
          finishIfDone();
        });
      }
    }

    /**
     * Commits what is ready as one batch, unless a batch is being committed (the next takes what
     * gathers meanwhile) or fewer than {@link #MIN_BATCH} songs are ready while more are coming. Its
     * blobs' names are forced to disk first, together: no song enters the catalog before its blob
     * would survive a crash.
     */
    private void commitReady() {
      boolean moreComing = !files.isEmpty() || probing > 0;
      if (committing || ready.isEmpty() || (moreComing && ready.size() < MIN_BATCH)) {
        return;
      }
      List<Ready> batch = new ArrayList<>();
      while (!ready.isEmpty() && batch.size() < BATCH) {
        batch.add(ready.poll());
      }
      JsonArray songs = new JsonArray();
      batch.forEach(r -> songs.add(r.prepared().song().toJson()));
      List<String> shas = new ArrayList<>();
      batch.forEach(r -> {
        shas.add(r.prepared().song().sha256());
        if (r.prepared().song().coverSha256() != null) {
          shas.add(r.prepared().song().coverSha256());
        }
      });
      committing = true;
      batchesOpen++;
      vertx.executeBlocking(() -> {
        blobs.force(shas);
        return null;
      }, false)
          .compose(forced -> vertx.eventBus().<JsonObject>request(CatalogAddresses.SONGS_ADD, new JsonObject().put("songs", songs), IngestVerticle.CATALOG_WRITE))
          .onComplete(reply -> {
            committing = false;
            Future<Void> settled = reply.succeeded() ? committed(batch, reply.result().body().getJsonArray("items")) : refused(batch, reply.cause());
            commitReady();
            pump();
            settled.onComplete(v -> {
              batchesOpen--;
              finishIfDone();
            });
          });
    }

    /** Counts the batch once its new blobs have their copies (one wait for the whole batch), and remembers its files for the next import. */
    private Future<Void> committed(List<Ready> batch, JsonArray items) {
      List<String> added = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        if (!items.getJsonObject(i).getBoolean("duplicate")) {
          added.add(batch.get(i).prepared().song().sha256());
        }
      }
      return ingest.awaitAllCopies(added).transform(waited -> {
        List<ImportedFiles.Seen> done = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          Ready r = batch.get(i);
          boolean duplicate = items.getJsonObject(i).getBoolean("duplicate");
          String sha = r.prepared().song().sha256();
          if (!duplicate && (waited.failed() || waited.result().contains(sha))) {
            fail(r.file(), waited.failed() ? waited.cause().getMessage()
                : "stored, but not as many copies as the quorum acknowledgement needs were made in time; replication goes on");
            continue;
          }
          if (duplicate) {
            job.duplicate();
          } else {
            job.imported();
          }
          Metrics.of(vertx).imported(duplicate ? "duplicate" : "added");
          done.add(r.file());
          shas.add(sha);
        }
        return importedFiles.record(done, shas)
            .onFailure(e -> log.warn("import of {}: could not remember {} imported files (a re-import reads them again): {}", job.path(), done.size(), e.getMessage()))
            .otherwiseEmpty();
      });
    }

    /** The whole batch failed (one transaction): none of its songs is in the catalog, so none of its new blobs stays. */
    private Future<Void> refused(List<Ready> batch, Throwable cause) {
      for (Ready r : batch) {
        ingest.forgetIfNew(r.prepared());
        fail(r.file(), cause.getMessage());
      }
      return Future.succeededFuture();
    }

    private void fail(ImportedFiles.Seen file, String error) {
      job.failed(folder.relative(file.file()), error);
      Metrics.of(vertx).imported("failed");
      log.warn("import of {}: {} failed: {}", job.path(), file.path(), error);
    }

    private void finishIfDone() {
      if (!files.isEmpty() || probing > 0 || !ready.isEmpty() || committing || batchesOpen > 0 || !job.running()) {
        return;
      }
      vertx.cancelTimer(logTimer);
      job.end("finished", null);
      JsonObject result = job.toJson();
      log.info("import of {} finished: {} imported, {} duplicates, {} unchanged, {} failed, in {} ms ({} files/s)", job.path(),
          result.getInteger("imported"), result.getInteger("duplicates"), result.getInteger("unchanged"), result.getInteger("failed"),
          result.getLong("elapsedMs"), Math.round(job.filesPerSecond()));
      vertx.eventBus().publish(IngestAddresses.IMPORT_FINISHED, result);
    }
  }

  /**
   * Copies one file into the blob store's temp area, hashing it on the way (its only read from the
   * import folder); below the disk's reserve, or when the disk does not take the write, the file
   * fails with 507 (or 500), as an upload does.
   */
  private FileToAdd copyIn(Path file) throws IOException {
    String name = file.getFileName().toString();
    blobs.requireRoomFor(name, Files.size(file));
    InputStream in = Files.newInputStream(file);
    try {
      // Named with the file's own extension: when the content is what it says, the probe needs no rename.
      BlobStore.Intake copied = blobs.copyIn(in, ".import." + extension(file));
      return new FileToAdd(copied.tempFile(), name, copied.sha256(), copied.size(), false, true);
    } catch (UncheckedIOException e) {
      throw blobs.writeFailure(name, e);
    }
  }

  /** The audio files under the folder, and those that are links leading out of its import root. */
  private record Listing(ImportRoots.Folder folder, List<ImportedFiles.Seen> files, List<Path> refused) {}

  private static Listing listAudio(ImportRoots.Folder folder) throws IOException {
    List<ImportedFiles.Seen> inside = new ArrayList<>();
    List<Path> outside = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder.real())) {
      for (Path file : walk.filter(Files::isRegularFile).filter(p -> AUDIO_EXTENSIONS.contains(extension(p))).sorted().toList()) {
        if (folder.contains(file)) {
          inside.add(new ImportedFiles.Seen(file.toString(), Files.size(file), Files.getLastModifiedTime(file).toMillis()));
        } else {
          outside.add(file);
        }
      }
    }
    return new Listing(folder, List.copyOf(inside), List.copyOf(outside));
  }

  private static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
