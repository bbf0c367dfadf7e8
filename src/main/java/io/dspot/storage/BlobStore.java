package io.dspot.storage;

import io.dspot.bus.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed files on the node's disk: a blob lives at {@code blobs/ab/cd/<sha256>}. New
 * content is written to {@code tmp/} first and renamed into place atomically, so a crash never
 * leaves half a song under its final name. All methods block: call them off the event loop.
 *
 * <p>Nothing is committed unverified: {@link #commit} re-reads the temp file and checks its size
 * and hash ({@link #commitCopied}: its size, for what {@link #copyIn} wrote and hashed itself), and
 * forces it to disk, so a write the disk did not take (full, I/O error) never becomes a blob. A blob found
 * short or corrupt later ({@link #contains(String, long)}, the scrub) is removed and announced to
 * the {@link #onLost} listener, so a replica can be fetched again.
 */
public final class BlobStore {

  private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final int READ_BUFFER = 64 * 1024;
  /** Below this a write that failed without saying why is taken for a full disk. */
  private static final long NEARLY_NOTHING_FREE = 1024 * 1024;

  private final Path blobs;
  private final Path tmp;
  private final long minFreeBytes;
  /** Guards the moment a blob appears or disappears under its name, and the counts below. */
  private final Object names = new Object();
  private long blobCount;
  private long storedBytes;
  private volatile Consumer<String> lostListener = sha -> { };
  private volatile FileStore fileStore;
  /**
   * Directories that gained a name not yet forced to disk: a blob {@link #commitCopiedUnforced}
   * renamed in, or a new {@code cd} directory in its {@code ab}. A crash could still take those
   * names; {@link #force} makes them durable, and every question about a blob in such a directory
   * forces it first, so no caller learns of a blob that a crash could still take.
   */
  private final ConcurrentHashMap<Path, Long> unforced = new ConcurrentHashMap<>();
  /** Stamps a directory's entry in {@link #unforced}: a force drops the entry only if no name came in since it read it. */
  private final AtomicLong renames = new AtomicLong();
  /** Held while forcing, so forces of one directory do not run twice at once. */
  private final Object forcing = new Object();

  public BlobStore(Path root) {
    this(root, 0);
  }

  /** {@code minFreeBytes}: the free space kept in reserve; below it the store is {@link DiskUsage#full()}. */
  public BlobStore(Path root, long minFreeBytes) {
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve("tmp");
    this.minFreeBytes = minFreeBytes;
  }

  /** Creates the directories, removes temp files a crash may have left behind and counts the blobs. */
  public BlobStore open() {
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(tmp);
      createFanOut();
      try (Stream<Path> leftovers = Files.list(tmp)) {
        for (Path p : (Iterable<Path>) leftovers::iterator) {
          Files.deleteIfExists(p);
        }
      }
      recount();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob store at " + blobs.getParent(), e);
    }
  }

  /**
   * The 256 {@code ab} directories, made once: a commit then only ever makes its {@code cd}
   * directory, one {@code mkdir} (creating both levels had cost an exception per missing level).
   */
  private void createFanOut() throws IOException {
    boolean made = false;
    for (int i = 0; i < 256; i++) {
      Path ab = blobs.resolve(HEX.toHexDigits((byte) i));
      if (!Files.isDirectory(ab)) {
        Files.createDirectories(ab);
        made = true;
      }
    }
    if (made) {
      forceDirectory(blobs);
    }
  }

  /** Who hears of a blob found short or corrupt and removed (the storage verticle announces it). */
  public void onLost(Consumer<String> listener) {
    this.lostListener = Objects.requireNonNull(listener);
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

  /** A directory for data derived from blobs (resized covers...), beside the store: deleting it loses only work. */
  public Path derivedDir(String name) {
    return blobs.resolveSibling("cache").resolve(name);
  }

  public Path pathFor(String sha256) {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
    }
    // One resolve, not three: a reconcile pass asks for every blob's path (three resolves had been
    // 50 MB of a 110,000-blob pass's allocation, each making a path and its bytes).
    String separator = blobs.getFileSystem().getSeparator();
    return blobs.resolve(sha256.substring(0, 2) + separator + sha256.substring(2, 4) + separator + sha256);
  }

  /** Whether a file is stored under this name, whatever its size; prefer {@link #contains(String, long)}. */
  public boolean contains(String sha256) {
    Path path = pathFor(sha256);
    if (!Files.isRegularFile(path)) {
      return false;
    }
    forceIfUnforced(path);
    return true;
  }

  /**
   * Whether the blob is here whole: stored and of {@code expectedSize} bytes. A blob of another
   * size is removed (and announced lost): it can never be what its name says.
   */
  public boolean contains(String sha256, long expectedSize) {
    Path path = pathFor(sha256);
    BasicFileAttributes found = attributesOrNull(path);
    if (found == null || !found.isRegularFile()) {
      // Nothing to force for a blob that is not here: its ab directory may wait for a batch's force
      // because of another blob's new cd directory, and forcing it here had every file of a folder
      // import fsync a directory, and wait for the batch's forces to do it.
      return false;
    }
    forceIfUnforced(path);
    if (found.size() == expectedSize) {
      return true;
    }
    removeLost(sha256, found.fileKey(), "it holds " + found.size() + " bytes, not " + expectedSize);
    return false;
  }

  /**
   * Moves a fully written temp file to its content address once its size and hash are checked
   * against what the writer counted (and forced to disk). If the blob is already there whole, the
   * temp file is dropped: identical content is stored once; a blob there of another size is
   * replaced. The file and then its directory are forced to disk before this returns, so a blob
   * committed here survives a crash under its name. Fails with an {@link UncheckedIOException} (and
   * no temp file left) if the file is not what was written; see {@link #writeFailure}.
   */
  public Path commit(Path tempFile, String sha256, long expectedSize) {
    return commit(tempFile, sha256, expectedSize, true, true);
  }

  /**
   * {@link #commit} for a temp file {@link #copyIn} wrote: every byte it hashed went to the file
   * through a blocking write that returned, and any write that failed threw, so reading the file
   * back (from the page cache) to hash it again would find the same bytes. Only its size is checked,
   * and it is forced to disk as in {@link #commit}: a write the disk lost later surfaces there.
   */
  public Path commitCopied(Path tempFile, String sha256, long expectedSize) {
    return commit(tempFile, sha256, expectedSize, false, true);
  }

  /**
   * {@link #commitCopied} for a writer that commits many blobs and then makes them all durable at
   * once with {@link #force} (a folder import's batch, before its catalog commit): the file's bytes
   * are forced here, the new name in its directory is not. The directories of a batch are forced
   * back to back, once each, after all its renames: the first commits the file system's journal
   * with every rename of the batch in it, the others find little left to do.
   */
  public Path commitCopiedUnforced(Path tempFile, String sha256, long expectedSize) {
    return commit(tempFile, sha256, expectedSize, false, false);
  }

  /**
   * Makes the names of these blobs durable: forces every directory of theirs that gained a name
   * through {@link #commitCopiedUnforced}. When it returns, a crash no longer takes them.
   */
  public void force(Collection<String> sha256s) {
    if (unforced.isEmpty()) {
      return; // a directory leaves the map only once it is forced
    }
    java.util.Set<Path> dirs = new LinkedHashSet<>();
    for (String sha : sha256s) {
      Path cd = pathFor(sha).getParent();
      dirs.add(cd);
      dirs.add(cd.getParent()); // a new cd directory is a new name in its ab
    }
    synchronized (forcing) {
      for (Path dir : dirs) {
        Long stamp = unforced.get(dir);
        if (stamp == null) {
          continue;
        }
        try {
          forceDirectory(dir);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot force " + dir + " to disk: " + e.getMessage(), e);
        }
        unforced.remove(dir, stamp); // a name renamed in meanwhile keeps it here, for the next force
      }
    }
  }

  /** Whether a blob's name may still be lost in a crash (renamed in, its directory not yet forced). */
  public boolean isUnforced(String sha256) {
    Path cd = pathFor(sha256).getParent();
    return unforced.containsKey(cd) || unforced.containsKey(cd.getParent());
  }

  private void forceIfUnforced(Path blob) {
    if (!unforced.isEmpty() && isUnforced(blob.getFileName().toString())) {
      force(List.of(blob.getFileName().toString()));
    }
  }

  private Path commit(Path tempFile, String sha256, long expectedSize, boolean rehash, boolean forceNow) {
    Path target = pathFor(sha256);
    try {
      verify(tempFile, sha256, expectedSize, rehash);
      Path cd = target.getParent();
      if (!Files.isDirectory(cd)) {
        makeDirectory(cd, forceNow);
      }
      boolean alreadyThere = false;
      synchronized (names) {
        BasicFileAttributes existing = attributesOrNull(target);
        if (existing != null && existing.size() == expectedSize) {
          Files.deleteIfExists(tempFile);
          alreadyThere = true;
        } else {
          commitUnderLock(tempFile, target, sha256, expectedSize, existing, forceNow);
        }
      }
      if (alreadyThere) {
        if (forceNow) {
          forceIfUnforced(target); // put there by a batch not yet forced: this caller may rely on it now
        }
        return target;
      }
      // Outside the lock: other commits need not wait for this one's disk flush.
      if (forceNow) {
        forceDirectory(cd);
      }
      return target;
    } catch (IOException e) {
      discard(tempFile);
      throw new UncheckedIOException("cannot store blob " + sha256 + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      discard(tempFile);
      throw e;
    }
  }

  /** The rename into place and the counts; an unforced name is marked before it appears, so no one sees it unmarked. */
  private void commitUnderLock(Path tempFile, Path target, String sha256, long expectedSize, BasicFileAttributes existing, boolean forceNow)
      throws IOException {
    if (!forceNow) {
      markUnforced(target.getParent());
    }
    try {
      Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException("blob temp dir and blob dir must be on one file system", e);
    }
    if (existing == null) {
      blobCount++;
    } else {
      storedBytes -= existing.size();
      log.warn("blob {} was {} bytes on disk, not {}: replaced it with the verified copy", sha256, existing.size(), expectedSize);
    }
    storedBytes += expectedSize;
  }

  /** A temp file whose size or hash is not what its writer said: {@link #commit} refuses it (the cause of its failure). */
  public static final class WrongContent extends IOException {
    WrongContent(String message) {
      super(message);
    }
  }

  /** Re-reads what reached the disk: its size (and, with {@code rehash}, its hash) must be what the writer counted; forces it to disk. */
  private static void verify(Path tempFile, String sha256, long expectedSize, boolean rehash) throws IOException {
    try (FileChannel file = FileChannel.open(tempFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = file.size();
      if (size != expectedSize) {
        throw new WrongContent("the file was cut short: " + size + " of " + expectedSize + " bytes reached the disk");
      }
      if (!rehash) {
        file.force(true);
        return;
      }
      MessageDigest digest = sha256();
      ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
      while (file.read(buffer) > 0) {
        digest.update(buffer.flip());
        buffer.clear();
      }
      String found = HEX.formatHex(digest.digest());
      if (!found.equals(sha256)) {
        throw new WrongContent("the file on disk hashes to " + found + ", not to what was written (" + sha256 + ")");
      }
      file.force(true);
    }
  }

  /**
   * Makes a blob's {@code cd} directory (its {@code ab} is made at {@link #open}; made here too if
   * someone removed it). The new directory's name in {@code ab} is forced now or with the batch.
   */
  private void makeDirectory(Path cd, boolean forceNow) throws IOException {
    try {
      Files.createDirectory(cd);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return; // another commit made it meanwhile
    } catch (java.nio.file.NoSuchFileException e) {
      Files.createDirectories(cd);
      forceDirectory(blobs);
    }
    if (forceNow) {
      forceDirectory(cd.getParent());
    } else {
      markUnforced(cd.getParent());
    }
  }

  /** After a new name came into {@code dir}: it waits for {@link #force}. */
  private void markUnforced(Path dir) {
    unforced.put(dir, renames.incrementAndGet());
  }

  /**
   * Makes the rename itself durable: until its directory is forced, a crash can lose the new name
   * although the file's bytes were forced, and a replica recorded as held would be gone. One call
   * per commit; the temp directory needs none (a temp file lost in a crash is simply not there).
   */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** Stores small content (cover art) and returns its SHA-256. */
  public String put(byte[] content) {
    return put(content, true);
  }

  /** {@link #put} whose new name waits for {@link #force}, as {@link #commitCopiedUnforced}'s does (a folder import's covers). */
  public String putUnforced(byte[] content) {
    return put(content, false);
  }

  private String put(byte[] content, boolean forceNow) {
    String sha = HEX.formatHex(sha256().digest(content));
    if (!contains(sha, content.length)) {
      Path temp = newTempFile(".part");
      try {
        Files.write(temp, content, StandardOpenOption.CREATE_NEW);
      } catch (IOException e) {
        discard(temp);
        throw new UncheckedIOException("cannot write blob: " + e.getMessage(), e);
      }
      commit(temp, sha, content.length, true, forceNow);
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
      byte[] buffer = new byte[READ_BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        intake.add(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      discard(intake.tempFile());
      throw new UncheckedIOException("cannot copy into the blob store: " + e.getMessage(), e);
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
    Path path = pathFor(sha256);
    try {
      synchronized (names) {
        long size = sizeOrZero(path);
        if (Files.deleteIfExists(path)) {
          blobCount--;
          storedBytes -= size;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + sha256, e);
    }
  }

  /**
   * Removes a blob that is not what its name says and tells the {@link #onLost} listener, unless
   * the file under that name changed meanwhile ({@code fileKey}: the file that was judged): a
   * verified copy may just have replaced it.
   */
  void removeLost(String sha256, Object fileKey, String why) {
    Path path = pathFor(sha256);
    synchronized (names) {
      BasicFileAttributes now = attributesOrNull(path);
      if (now == null || (fileKey != null && !fileKey.equals(now.fileKey()))) {
        return;
      }
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        log.warn("blob {} is corrupt ({}) but could not be removed: {}", sha256, why, e.getMessage());
        return;
      }
      blobCount--;
      storedBytes -= now.size();
    }
    log.warn("blob {} is corrupt ({}): removed it", sha256, why);
    lostListener.accept(sha256);
  }

  /** The blob store's file system now, against the reserve this node keeps. */
  public DiskUsage diskUsage() {
    try {
      FileStore store = fileStore;
      if (store == null) {
        // Found once: finding it reads the mount table (a folder import asks before every file).
        // Its space is read afresh on every call (statvfs of the blob directory).
        store = Files.getFileStore(blobs);
        fileStore = store;
      }
      return new DiskUsage(store.getUsableSpace(), store.getTotalSpace(), minFreeBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + blobs, e);
    }
  }

  /**
   * Fails with 507 when the disk is below its reserve, or when {@code incomingBytes} (when known,
   * else -1) would take it there: nothing new (uploads, replicas) is taken then.
   */
  public void requireRoomFor(String what, long incomingBytes) {
    DiskUsage disk = diskUsage();
    if (disk.full()) {
      throw new ServiceException(507, "not enough disk space on this node to store " + what + " (" + disk.describe() + ")");
    }
    if (incomingBytes > 0 && !disk.fits(incomingBytes)) {
      throw new ServiceException(507, "not enough disk space on this node to store " + what + " of " + megabytes(incomingBytes)
          + " MB (" + megabytes(disk.freeBytes()) + " MB free, " + megabytes(minFreeBytes) + " MB kept in reserve)");
    }
  }

  private static long megabytes(long bytes) {
    return bytes / (1024 * 1024);
  }

  /**
   * The answer for a write of {@code file} the disk did not take: 507 when the disk is full, else
   * 500 with what went wrong. Every writer into the store reports its failures through this.
   */
  public ServiceException writeFailure(String file, Throwable cause) {
    if (isDiskFull(cause)) {
      return new ServiceException(507, "not enough disk space on this node to store " + file);
    }
    log.warn("could not write {} into the blob store", file, cause);
    return new ServiceException(500, "could not write " + file + " to this node's disk: " + cause.getMessage());
  }

  private boolean isDiskFull(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
        return true;
      }
    }
    try {
      return diskUsage().freeBytes() < NEARLY_NOTHING_FREE;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * How many blobs are stored, and their bytes, as the store's own writes and removals left them;
   * counted afresh at {@link #open} and by every scrub pass (a file changed behind the store's back
   * is only seen then).
   */
  public long blobCount() {
    synchronized (names) {
      return blobCount;
    }
  }

  public long storedBytes() {
    synchronized (names) {
      return storedBytes;
    }
  }

  /** Counts the blobs and their bytes on disk afresh. */
  void recount() throws IOException {
    long count = 0;
    long bytes = 0;
    for (Path blob : listBlobs()) {
      count++;
      bytes += sizeOrZero(blob);
    }
    synchronized (names) {
      blobCount = count;
      storedBytes = bytes;
    }
  }

  /** Every blob file now, in name order (the scrub walks them). */
  List<Path> listBlobs() throws IOException {
    try (Stream<Path> walk = Files.walk(blobs)) {
      return walk.filter(Files::isRegularFile).filter(p -> isSha256(p.getFileName().toString())).sorted().toList();
    }
  }

  private static BasicFileAttributes attributesOrNull(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      return null; // gone, or unreadable: either way not a blob to serve
    }
  }

  private static long sizeOrZero(Path path) {
    BasicFileAttributes a = attributesOrNull(path);
    return a == null ? 0 : a.size();
  }

  public void discard(Path tempFile) {
    try {
      Files.deleteIfExists(tempFile);
    } catch (IOException ignored) {
      // A leftover temp file is removed at the next start.
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static boolean isSha256(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
