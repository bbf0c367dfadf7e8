package io.dspot.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a generated admin password goes: a file only the node's user can read, in the data
 * directory, so it never reaches a log (logs are kept, shipped and shared; see ha/cluster.sh).
 * Blocking: call it on a worker thread.
 */
final class AdminPasswordFile {

  static final String NAME = "admin-password";

  private AdminPasswordFile() {}

  /** Writes {@code password} (and a newline) to {@code dataDir/admin-password}, mode 0600, atomically. */
  static Path write(Path dataDir, String password) {
    Path target = dataDir.resolve(NAME);
    try {
      Files.createDirectories(dataDir);
      // Created 0600 before a byte is written, so no moment exists in which others could read it.
      Path temp = Files.createTempFile(dataDir, NAME, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
