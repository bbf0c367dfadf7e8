package io.dspot.storage;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-hashes every blob, one at a time, at a bounded pace: a blob whose bytes no longer hash to its
 * name (a flipped bit, a bad sector) is removed through
 * {@link BlobStore#removeLost}, which logs it and announces it lost, so a replica can replace it.
 * Blocking: runs on a thread of its own; {@link #stop} ends a pass within a short sleep.
 */
final class Scrub {

  private static final Logger log = LoggerFactory.getLogger(Scrub.class);
  private static final HexFormat HEX = HexFormat.of();

  private final BlobStore blobs;
  private final long bytesPerSecond;
  private final Pace pace;
  private volatile boolean stopped;

  // Progress, for the status; written by the scrubbing thread, read by anyone.
  private long passes;
  private long blobsChecked;
  private long bytesChecked;
  private long corruptFound;
  private int passChecked;
  private int passBlobs;
  private Instant lastPassFinishedAt;

  Scrub(BlobStore blobs, long bytesPerSecond) {
    this.blobs = blobs;
    this.bytesPerSecond = bytesPerSecond;
    this.pace = bytesPerSecond > 0 ? new Pace(bytesPerSecond) : null;
  }

  boolean enabled() {
    return pace != null;
  }

  void stop() {
    stopped = true;
  }

  /** One pass over the blobs there now; returns early when stopped. */
  void runPass() throws IOException, InterruptedException {
    List<Path> files = blobs.listBlobs();
    synchronized (this) {
      passBlobs = files.size();
      passChecked = 0;
    }
    for (Path file : files) {
      if (stopped) {
        return;
      }
      check(file);
      synchronized (this) {
        passChecked++;
      }
    }
    blobs.recount();
    synchronized (this) {
      passes++;
      lastPassFinishedAt = Instant.now();
    }
  }

  private void check(Path file) throws InterruptedException {
    String sha = file.getFileName().toString();
    Object fileKey;
    String found;
    long read = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      MessageDigest digest = BlobStore.sha256();
      ByteBuffer buffer = ByteBuffer.allocate(pace.chunkBytes());
      int n;
      while ((n = channel.read(buffer)) > 0) {
        if (!pace.take(n, () -> stopped)) {
          return;
        }
        digest.update(buffer.flip());
        buffer.clear();
        read += n;
      }
      found = HEX.formatHex(digest.digest());
    } catch (NoSuchFileException gone) {
      return; // deleted meanwhile
    } catch (IOException e) {
      // Not proof of damage (a transient error would cost a good copy): said, and tried again next pass.
      log.warn("scrub: could not read blob {}: {}", sha, e.getMessage());
      return;
    }
    boolean corrupt = !found.equals(sha);
    if (corrupt) {
      blobs.removeLost(sha, fileKey, "the scrub hashed its " + read + " bytes to " + found);
    }
    counted(read, corrupt);
  }

  private synchronized void counted(long bytes, boolean corrupt) {
    blobsChecked++;
    bytesChecked += bytes;
    if (corrupt) {
      corruptFound++;
    }
  }

  /** Progress for {@code storage.status}: pace, passes done, what this pass has checked, what was found. */
  synchronized JsonObject status() {
    return new JsonObject()
        .put("enabled", enabled())
        .put("bytesPerSecond", bytesPerSecond)
        .put("passes", passes)
        .put("blobsChecked", blobsChecked)
        .put("bytesChecked", bytesChecked)
        .put("corruptFound", corruptFound)
        .put("pass", new JsonObject().put("checked", passChecked).put("of", passBlobs))
        .put("lastPassFinishedAt", lastPassFinishedAt == null ? null : lastPassFinishedAt.toString());
  }
}
