package io.dspot.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A node whose data directory (blob store and temp area: one file system, so the final rename
 * stays atomic) is on a small tmpfs of its own, to run it out of disk for real (root only). Its
 * catalog lives in a PostgreSQL outside the tmpfs ({@code db.url}, as in production with an
 * external database), so a full disk starves the blob store and not the database's write-ahead
 * log. Closing it stops the node and the database and unmounts the tmpfs, whatever failed.
 */
public final class SmallDiskNode implements AutoCloseable {

  private final Tmpfs disk;
  private final EmbeddedPostgres catalogDb;
  private final TestNode node;

  private SmallDiskNode(Tmpfs disk, EmbeddedPostgres catalogDb, TestNode node) {
    this.disk = disk;
    this.catalogDb = catalogDb;
    this.node = node;
  }

  /** {@code settings} adds to the node's builder (its reserve, its scrub...). */
  public static SmallDiskNode start(long megabytes, Path databaseDir, UnaryOperator<TestNode.Builder> settings) {
    Tmpfs disk = Tmpfs.mount(megabytes);
    EmbeddedPostgres catalogDb = null;
    try {
      catalogDb = EmbeddedPostgres.builder().setDataDirectory(databaseDir).setCleanDataDirectory(true).setPort(Ports.take()).start();
      TestNode node = settings.apply(TestNode.builder().dataDir(disk.dir().resolve("node"))
          .set("DSPOT_DB_URL", "jdbc:postgresql://127.0.0.1:" + catalogDb.getPort() + "/postgres")
          .set("DSPOT_DB_USER", "postgres")).start();
      return new SmallDiskNode(disk, catalogDb, node);
    } catch (IOException | RuntimeException e) {
      closeQuietly(catalogDb);
      disk.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public TestNode node() {
    return node;
  }

  public Tmpfs disk() {
    return disk;
  }

  @Override
  public void close() {
    try {
      node.close();
    } finally {
      try {
        closeQuietly(catalogDb);
      } finally {
        disk.close();
      }
    }
  }

  private static void closeQuietly(EmbeddedPostgres db) {
    if (db == null) {
      return;
    }
    try {
      db.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
