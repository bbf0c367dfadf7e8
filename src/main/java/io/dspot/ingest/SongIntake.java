package io.dspot.ingest;

import io.dspot.catalog.SongDraft;
import io.dspot.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The blocking half of adding a song: checks the audio of a file already in the blob store's temp
 * area, reads its tags and cover, and commits its bytes as a blob. What is left is the catalog
 * entry (one song, or a folder import's batch). Runs on a worker thread, many files at once.
 */
final class SongIntake {

  /** A song ready for the catalog; {@code isNew}: its blob was not in the store before (delete it if the catalog refuses). */
  record Prepared(SongDraft song, boolean isNew) {}

  private final BlobStore blobs;

  SongIntake(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** Consumes the temp file either way; fails with {@link IngestException} for audio it refuses. */
  Prepared prepare(FileToAdd file) {
    return prepare(file, true);
  }

  /**
   * {@link #prepare} for a folder import's batch: the blobs' bytes (song and cover) are forced, their names are not; the
   * batch makes its names durable at once ({@link BlobStore#force}) before its catalog commit.
   */
  Prepared prepareUnforced(FileToAdd file) {
    return prepare(file, false);
  }

  private Prepared prepare(FileToAdd file, boolean forceNow) {
    Path tempFile = file.tempFile();
    String name = file.name();
    try {
      AudioFormat format = AudioProbe.sniff(tempFile, name);
      Path named = tempFile;
      if (!tempFile.getFileName().toString().endsWith("." + format.extension)) {
        named = tempFile.resolveSibling(tempFile.getFileName() + "." + format.extension);
        Files.move(tempFile, named);
      }
      try {
        ProbedSong probed = AudioProbe.read(named, format, name);
        String coverSha = probed.cover() == null ? null : forceNow ? blobs.put(probed.cover()) : blobs.putUnforced(probed.cover());
        // A blob already there but short (a write the disk once lost) is replaced by this verified one.
        boolean isNew = !blobs.contains(file.sha256(), file.size());
        if (file.copied() && !forceNow) {
          blobs.commitCopiedUnforced(named, file.sha256(), file.size());
        } else if (file.copied()) {
          blobs.commitCopied(named, file.sha256(), file.size());
        } else {
          blobs.commit(named, file.sha256(), file.size());
        }
        return new Prepared(new SongDraft(probed.tags(), file.sha256(), file.size(), coverSha, probed.coverType(), file.demo()), isNew);
      } finally {
        blobs.discard(named);
      }
    } catch (IOException | UncheckedIOException e) {
      throw blobs.writeFailure(name, e);
    } finally {
      blobs.discard(tempFile);
    }
  }
}
