package io.dspot.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Content-addressed files on the node's disk: a blob lives at {@code blobs/ab/cd/<sha256>}. New
 * content is written to {@code tmp/} first and renamed into place atomically, so a crash never
 * leaves half a song under its final name. All methods block: call them off the event loop.
 */
public final class BlobStore {

  private static final HexFormat HEX = HexFormat.of();

  private final Path blobs;
  private final Path tmp;

  public BlobStore(Path root) {
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve("tmp");
  }

  /** Creates the directories and removes temp files a crash may have left behind. */
  public BlobStore open() {
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(tmp);
      try (Stream<Path> leftovers = Files.list(tmp)) {
        for (Path p : (Iterable<Path>) leftovers::iterator) {
          Files.deleteIfExists(p);
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob store at " + blobs.getParent(), e);
    }
  }

  /** A fresh path in the temp area, on the same file system as the blobs so the final move is a rename. */
  private Path newTempFile(String suffix) {
    return tmp.resolve(UUID.randomUUID() + suffix);
  }

  /** Whether {@code file} is in this store's temp area: only such files may be committed or dropped on request. */
  public boolean isTempFile(Path file) {
    Path normal = file.toAbsolutePath().normalize();
    return normal.startsWith(tmp.toAbsolutePath().normalize()) && !normal.equals(tmp.toAbsolutePath().normalize());
  }

  public Path pathFor(String sha256) {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
    }
    return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  public boolean contains(String sha256) {
    return Files.isRegularFile(pathFor(sha256));
  }

  /**
   * Moves a fully written and hashed temp file to its content address. If the blob is already there
   * the temp file is dropped: identical content is stored once.
   */
  public Path commit(Path tempFile, String sha256) {
    Path target = pathFor(sha256);
    try {
      if (Files.exists(target)) {
        Files.deleteIfExists(tempFile);
        return target;
      }
      Files.createDirectories(target.getParent());
      try {
        Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(tempFile);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("blob temp dir and blob dir must be on one file system", e);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store blob " + sha256, e);
    }
  }

  /** Stores small content (cover art) and returns its SHA-256. */
  public String put(byte[] content) {
    String sha = HEX.formatHex(sha256().digest(content));
    if (!contains(sha)) {
      Path temp = newTempFile(".part");
      try {
        Files.write(temp, content);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write blob", e);
      }
      commit(temp, sha);
    }
    return sha;
  }

  /**
   * Copies a stream into a new temp file while hashing it (folder imports, the demo library) and
   * closes the stream. On failure the temp file is removed; on success {@link #commit} it.
   */
  public Intake copyIn(InputStream source, String suffix) {
    Intake intake = new Intake(newTempFile(suffix));
    try (InputStream in = source; OutputStream out = Files.newOutputStream(intake.tempFile(), StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        intake.add(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      discard(intake.tempFile());
      throw new UncheckedIOException("cannot copy into the blob store", e);
    }
    return intake;
  }

  /**
   * A temp file on its way into the store, for a writer that copies by itself (an upload streams
   * its chunks without blocking): it hands every chunk it writes to {@link Intake#add}.
   */
  public Intake newIntake(String suffix) {
    return new Intake(newTempFile(suffix));
  }

  /** The hash and size of what was written to a temp file: the one place content is hashed on its way in. */
  public static final class Intake {
    private final Path tempFile;
    private final MessageDigest digest = BlobStore.sha256();
    private long size;
    private String sha256;

    private Intake(Path tempFile) {
      this.tempFile = tempFile;
    }

    public Path tempFile() {
      return tempFile;
    }

    /** Counts and hashes bytes the caller wrote to {@link #tempFile()}, in order. */
    public void add(byte[] bytes, int offset, int length) {
      if (sha256 != null) {
        throw new IllegalStateException("the content of " + tempFile + " was already hashed");
      }
      digest.update(bytes, offset, length);
      size += length;
    }

    public long size() {
      return size;
    }

    /** The SHA-256 of everything added; no more can be added after asking. */
    public String sha256() {
      if (sha256 == null) {
        sha256 = HEX.formatHex(digest.digest());
      }
      return sha256;
    }
  }

  public void delete(String sha256) {
    try {
      Files.deleteIfExists(pathFor(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + sha256, e);
    }
  }

  public void discard(Path tempFile) {
    try {
      Files.deleteIfExists(tempFile);
    } catch (IOException ignored) {
      // A leftover temp file is removed at the next start.
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static boolean isSha256(String s) {
    return s != null && s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
