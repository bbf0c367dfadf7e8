package io.dspot.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive for the {@code --import} JVM (Java's AppCDS): the classes of a node,
 * parsed, verified and laid out once, mapped by the next import instead of loaded from the jar.
 * The first {@code --import} of a jar dumps it at exit ({@code -XX:ArchiveClassesAtExit}, a few
 * seconds after the import is done, ~40 MB), later ones map it ({@code -XX:SharedArchiveFile}).
 * In the import benchmark it took ~15 % off the node JVM's user CPU during a 1,000-file import,
 * besides its start (bench/import.md, round 5).
 *
 * <p>Kept in the user's cache directory under a name made of the jar's path, size and modification
 * time and the Java version, so a rebuilt or moved jar or another JDK never maps an archive made
 * for another (the JVM checks the jar's size and time itself too, and without a usable archive
 * just loads the classes). Dumped under a temporary name and renamed once the import's JVM ended
 * well, so a crash or a second import at the same time never leaves half an archive under the
 * name. The JVM's own CDS messages are turned off: an archive it cannot use is no error.
 */
final class ImportClassArchive {

  private static final String PREFIX = "dspot-import-";
  private static final String SUFFIX = ".jsa";
  private static final List<String> QUIET = List.of("-Xlog:cds*=off");
  /** Free space a dump needs around it: the archive is ~40 MB; a disk nearly full is left alone. */
  private static final long DUMP_ROOM_BYTES = 512L * 1024 * 1024;

  /** The JVM flags for this import, and the dumped file to rename into {@link #archive} afterwards (null: nothing to keep). */
  record Plan(List<String> flags, Path dumping, Path archive) {
    static final Plan NONE = new Plan(List.of(), null, null);
  }

  private ImportClassArchive() {}

  /** The cache directory: {@code $XDG_CACHE_HOME/dspot}, else {@code ~/.cache/dspot}; null when neither is known. */
  static Path cacheDir(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "dspot");
    }
    return userHome == null || userHome.isBlank() ? null : Path.of(userHome, ".cache", "dspot");
  }

  /** Map the jar's archive if there is one, else dump one; no flags at all when the cache directory cannot be made. */
  static Plan plan(Path jar, Path cacheDir, String javaVersion, long pid) {
    if (cacheDir == null) {
      return Plan.NONE;
    }
    try {
      Path real = jar.toRealPath();
      String key = Files.size(real) + "-" + Files.getLastModifiedTime(real).toMillis() + "-" + javaVersion.replaceAll("[^A-Za-z0-9.]", "_");
      Files.createDirectories(cacheDir);
      Path archive = cacheDir.resolve(prefixOf(real) + key + SUFFIX);
      if (Files.isRegularFile(archive)) {
        return new Plan(concat("-XX:SharedArchiveFile=" + archive), null, archive);
      }
      if (!Files.isWritable(cacheDir) || Files.getFileStore(cacheDir).getUsableSpace() < DUMP_ROOM_BYTES) {
        return Plan.NONE; // a JVM that cannot write its dump at exit fails the whole command (exit 1, "Unable to use shared archive")
      }
      Path dumping = cacheDir.resolve(prefixOf(real) + key + "." + pid + ".part");
      return new Plan(concat("-XX:ArchiveClassesAtExit=" + dumping), dumping, archive);
    } catch (IOException | RuntimeException e) {
      return Plan.NONE; // no cache directory, or the jar cannot be read: the import runs without
    }
  }

  /**
   * After the import's JVM ended: a dump it wrote takes the archive's name, and older archives of a
   * jar at the same path go (each rebuild would leave one behind). A failed import's dump is dropped.
   */
  static void settle(Plan plan, boolean succeeded) {
    if (plan.dumping() == null) {
      return;
    }
    try {
      if (succeeded && Files.isRegularFile(plan.dumping())) {
        Files.move(plan.dumping(), plan.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String samePath = plan.archive().getFileName().toString().substring(0, PREFIX.length() + 9);
        try (Stream<Path> others = Files.list(plan.archive().getParent())) {
          for (Path other : others.filter(p -> isArchive(p, samePath) && !p.equals(plan.archive())).toList()) {
            Files.deleteIfExists(other);
          }
        }
      } else {
        Files.deleteIfExists(plan.dumping());
      }
    } catch (IOException e) {
      // The next import dumps again.
    }
  }

  /** {@code dspot-import-} and 8 hex digits of the jar's real path, and a dash: the archives of one jar path share it. */
  private static String prefixOf(Path realJar) {
    return PREFIX + String.format("%08x", realJar.toString().hashCode()) + "-";
  }

  private static boolean isArchive(Path p, String prefix) {
    String name = p.getFileName().toString();
    return name.startsWith(prefix) && name.endsWith(SUFFIX);
  }

  private static List<String> concat(String flag) {
    return Stream.concat(Stream.of(flag), QUIET.stream()).toList();
  }
}
