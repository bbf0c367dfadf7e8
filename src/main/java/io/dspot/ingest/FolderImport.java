package io.dspot.ingest;

import io.dspot.metrics.Metrics;
import io.dspot.bus.ServiceException;
import io.dspot.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Imports a folder tree one file at a time, logging progress; one import runs at a time. */
final class FolderImport {

  private static final Logger log = LoggerFactory.getLogger(FolderImport.class);
  private static final Set<String> AUDIO_EXTENSIONS = Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "wav");

  interface Ingestor {
    Future<JsonObject> ingest(FileToAdd file);
  }

  private final Vertx vertx;
  private final BlobStore blobs;
  private final Ingestor ingestor;
  private final ImportRoots roots;
  private JsonObject latest;

  FolderImport(Vertx vertx, BlobStore blobs, Ingestor ingestor, ImportRoots roots) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.ingestor = ingestor;
    this.roots = roots;
  }

  Future<JsonObject> latest() {
    return latest == null ? Future.failedFuture(ServiceException.notFound("no import has run yet")) : Future.succeededFuture(latest.copy());
  }

  /** Validates the folder, answers with the job and lets it run; {@code finished} completes at the end. */
  Future<JsonObject> start(String path) {
    if (path == null || path.isBlank()) {
      return Future.failedFuture(ServiceException.badRequest("path is required"));
    }
    if (latest != null && "running".equals(latest.getString("state"))) {
      return Future.failedFuture(ServiceException.conflict("an import of " + latest.getString("path") + " is still running"));
    }
    JsonObject job = new JsonObject().put("path", path).put("state", "running")
        .put("found", 0).put("imported", 0).put("duplicates", 0).put("failed", 0).put("errors", new io.vertx.core.json.JsonArray());
    latest = job;
    return vertx.executeBlocking(() -> listAudio(roots.folder(path))).map(listing -> {
      job.put("found", listing.files().size() + listing.refused().size());
      listing.refused().forEach(file -> failed(job, listing.folder().relative(file), "a symbolic link to a file outside the import root: refused"));
      log.info("import of {}: {} audio files found", path, listing.files().size());
      importNext(job, listing, 0);
      return job.copy();
    }).onFailure(e -> job.put("state", "failed").put("error", e.getMessage()));
  }

  private void importNext(JsonObject job, Listing listing, int index) {
    List<Path> files = listing.files();
    if (index >= files.size()) {
      job.put("state", "finished");
      log.info("import of {} finished: {} imported, {} duplicates, {} failed", job.getString("path"),
          job.getInteger("imported"), job.getInteger("duplicates"), job.getInteger("failed"));
      vertx.eventBus().publish(IngestAddresses.IMPORT_FINISHED, job.copy());
      return;
    }
    Path file = files.get(index);
    vertx.executeBlocking(() -> copyIn(file))
        .compose(copied -> ingestor.ingest(new FileToAdd(copied.tempFile(), file.getFileName().toString(), copied.sha256(), copied.size(), false)))
        .onComplete(result -> {
          String progress = (index + 1) + "/" + files.size();
          if (result.succeeded()) {
            boolean duplicate = result.result().getBoolean("duplicate", false);
            Metrics.of(vertx).imported(duplicate ? "duplicate" : "added");
            job.put(duplicate ? "duplicates" : "imported", job.getInteger(duplicate ? "duplicates" : "imported") + 1);
            log.info("import {} {}: {}", progress, duplicate ? "duplicate" : "added", file);
          } else {
            Metrics.of(vertx).imported("failed");
            failed(job, listing.folder().relative(file), result.cause().getMessage());
            log.warn("import {} failed: {}: {}", progress, file, result.cause().getMessage());
          }
          importNext(job, listing, index + 1);
        });
  }

  /** {@code file} is relative to the import root: the answer does not map the server's disk. */
  private static void failed(JsonObject job, String file, String error) {
    job.put("failed", job.getInteger("failed") + 1);
    if (job.getJsonArray("errors").size() < 100) {
      job.getJsonArray("errors").add(new JsonObject().put("file", file).put("error", error));
    }
  }

  /**
   * Copies one file into the blob store's temp area; below the disk's reserve, or when the disk
   * does not take the write, the file fails with 507 (or 500), as an upload does.
   */
  private BlobStore.Intake copyIn(Path file) throws IOException {
    blobs.requireRoomFor(file.getFileName().toString(), Files.size(file));
    InputStream in = Files.newInputStream(file);
    try {
      return blobs.copyIn(in, ".import");
    } catch (UncheckedIOException e) {
      throw blobs.writeFailure(file.getFileName().toString(), e);
    }
  }

  /** The audio files under the folder, and those that are links leading out of its import root. */
  private record Listing(ImportRoots.Folder folder, List<Path> files, List<Path> refused) {}

  private static Listing listAudio(ImportRoots.Folder folder) throws IOException {
    List<Path> inside = new java.util.ArrayList<>();
    List<Path> outside = new java.util.ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder.real())) {
      for (Path file : walk.filter(Files::isRegularFile).filter(p -> AUDIO_EXTENSIONS.contains(extension(p))).sorted().toList()) {
        (folder.contains(file) ? inside : outside).add(file);
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
