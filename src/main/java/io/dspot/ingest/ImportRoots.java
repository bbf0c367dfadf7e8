package io.dspot.ingest;

import io.dspot.bus.ServiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The folders an admin may import from ({@code import.roots}). A path is judged by where it
 * really is: symlinks resolved ({@link Path#toRealPath}), so a link inside a root that points
 * outside is outside. Answers name paths relative to their root, never the server's own layout.
 * Blocking (file system): call off the event loop.
 */
final class ImportRoots {

  private final List<Path> roots;

  ImportRoots(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** A folder to import, really under {@code root}. */
  record Folder(Path root, Path real) {
    String relative(Path file) {
      Path relative = root.relativize(file);
      return relative.toString().isEmpty() ? "." : relative.toString();
    }

    /** Whether a file found in the folder really is under the root (a symlink may lead out). */
    boolean contains(Path file) throws IOException {
      return file.toRealPath().startsWith(root);
    }
  }

  /** The first import root: what a Subsonic app's "scan the library" imports; 400 when there is none. */
  String defaultRoot() {
    if (roots.isEmpty()) {
      throw ServiceException.badRequest("no import root is configured (import.roots): there is no folder to scan");
    }
    return roots.get(0).toString();
  }

  /** 400 for a missing folder under a root; 403 for anything not under one. */
  Folder folder(String path) throws IOException {
    if (roots.isEmpty()) {
      throw ServiceException.forbidden("folder import is disabled: no import.roots configured");
    }
    Path given = Path.of(path);
    if (!given.isAbsolute()) {
      throw ServiceException.forbidden("the path must be absolute and under one of the import roots (import.roots)");
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (NoSuchFileException e) {
      Optional<Path> root = rootOf(given.normalize(), false);
      if (root.isEmpty()) {
        throw outside();
      }
      throw ServiceException.badRequest("not a readable directory: " + relative(root.get(), given.normalize()) + " (in import root " + root.get() + ")");
    }
    Path root = rootOf(real, true).orElseThrow(ImportRoots::outside);
    if (!Files.isDirectory(real) || !Files.isReadable(real)) {
      throw ServiceException.badRequest("not a readable directory: " + relative(root, real) + " (in import root " + root + ")");
    }
    return new Folder(root, real);
  }

  private Optional<Path> rootOf(Path path, boolean realRoots) throws IOException {
    for (Path root : roots) {
      Path candidate = root;
      if (realRoots) {
        if (!Files.exists(root)) {
          continue;
        }
        candidate = root.toRealPath();
      }
      if (path.startsWith(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String relative(Path root, Path path) {
    return new Folder(root, path).relative(path);
  }

  private static ServiceException outside() {
    return ServiceException.forbidden("not under an import root: an admin may import only from the folders in import.roots (symbolic links are followed to where they lead)");
  }
}
