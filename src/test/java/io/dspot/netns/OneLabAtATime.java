package io.dspot.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One network-namespace lab on this machine at a time, across the test JVMs Surefire forks: a lab's
 * three nodes (and its browser) stalled by a second lab's would fail its timing checks for the
 * machine's sake. The other fork goes on with tests that need no lab. An OS file lock, so a JVM that
 * dies holding it frees it.
 */
final class OneLabAtATime implements AutoCloseable {

  private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "dspot-netns-lab.lock");
  /** Labs this JVM holds the lock for (a JVM runs its labs one after another, but a class may nest them). */
  private static int held;
  private static FileChannel channel;
  private static FileLock lock;

  private boolean closed;

  /** Waits until no other JVM runs a lab. */
  static synchronized OneLabAtATime acquire() {
    try {
      if (held == 0) {
        channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long asked = System.nanoTime();
        lock = channel.lock();
        long waited = (System.nanoTime() - asked) / 1_000_000;
        if (waited > 1_000) {
          System.out.printf("waited %d ms for another test JVM's lab to end%n", waited);
        }
      }
      held++;
      return new OneLabAtATime();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    synchronized (OneLabAtATime.class) {
      if (closed) {
        return;
      }
      closed = true;
      if (--held == 0) {
        try {
          lock.release();
          channel.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
