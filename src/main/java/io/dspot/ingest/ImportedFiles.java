package io.dspot.ingest;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files earlier folder imports took in on this node ({@code imported_files}), by path, size
 * and modification time: what a re-import skips. This node's disk is nobody else's business, so
 * the table is written directly, not through the ordered log.
 */
final class ImportedFiles {

  /**
   * A file on this node's disk as the import found it. Its path is kept as a string: an import
   * holds one of these per file of the folder for its whole run (100,000 {@code Path}s, with their
   * cached strings and name offsets, had been ~30 MB of the node's heap; strings are half of it).
   */
  record Seen(String path, long size, long mtimeMillis) {
    Path file() {
      return Path.of(path);
    }
  }

  static final String UNCHANGED =
      "SELECT f.path FROM imported_files f JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS g(path, size, mtime_ms) "
          + "ON f.path = g.path AND f.size = g.size AND f.mtime_ms = g.mtime_ms";
  static final String RECORD =
      "INSERT INTO imported_files (path, size, mtime_ms, sha256) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) "
          + "ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, mtime_ms = EXCLUDED.mtime_ms, sha256 = EXCLUDED.sha256, imported_at = now()";

  private final Pool pool;

  ImportedFiles(Pool pool) {
    this.pool = pool;
  }

  /** The paths among {@code files} imported before with the same size and modification time. */
  Future<Set<String>> unchanged(List<Seen> files) {
    if (files.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(UNCHANGED).execute(columns(files, null)).map(rows -> {
      Set<String> paths = new HashSet<>();
      rows.forEach(r -> paths.add(r.getString(0)));
      return paths;
    });
  }

  /** Remembers files whose songs are in the catalog now; {@code sha256s} in the same order. */
  Future<Void> record(List<Seen> files, List<String> sha256s) {
    return files.isEmpty() ? Future.succeededFuture() : pool.preparedQuery(RECORD).execute(columns(files, sha256s)).mapEmpty();
  }

  private static Tuple columns(List<Seen> files, List<String> sha256s) {
    String[] paths = new String[files.size()];
    Long[] sizes = new Long[files.size()];
    Long[] mtimes = new Long[files.size()];
    for (int i = 0; i < files.size(); i++) {
      paths[i] = files.get(i).path();
      sizes[i] = files.get(i).size();
      mtimes[i] = files.get(i).mtimeMillis();
    }
    Tuple columns = Tuple.tuple().addArrayOfString(paths).addArrayOfLong(sizes).addArrayOfLong(mtimes);
    return sha256s == null ? columns : columns.addArrayOfString(sha256s.toArray(new String[0]));
  }
}
