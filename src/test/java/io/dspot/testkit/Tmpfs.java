package io.dspot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test (root only), to run a node out of disk space for real. Closing
 * it unmounts it (lazily if something still holds it open) and removes the mount point.
 */
public final class Tmpfs implements AutoCloseable {

  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  public static Tmpfs mount(long megabytes) {
    try {
      Path dir = Files.createTempDirectory("dspot-tmpfs-");
      try {
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
      } catch (RuntimeException e) {
        Files.deleteIfExists(dir);
        throw e;
      }
      return new Tmpfs(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public long freeBytes() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file of zeros that leaves about {@code leftBytes} free. */
  public Path fillLeaving(long leftBytes) {
    Path filler = dir.resolve("filler");
    long size = freeBytes() - leftBytes;
    try (var out = Files.newOutputStream(filler)) {
      byte[] block = new byte[64 * 1024];
      for (long written = 0; written < size; written += block.length) {
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return filler;
  }

  @Override
  public void close() {
    try {
      run("umount", dir.toString());
    } catch (RuntimeException busy) {
      run("umount", "-l", dir.toString());
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // an empty directory in the temp dir
    }
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (tests that fill a disk must run as root): " + out.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
