package io.dspot.web;

import java.lang.management.ManagementFactory;

/** This process's file-descriptor limit: every connection holds one, and so do the database, blobs and peers. */
final class FileDescriptors {

  /** Where the JVM cannot tell (not Unix): a conservative guess. */
  private static final long UNKNOWN = 4096;

  private FileDescriptors() {}

  static long limit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long max = unix.getMaxFileDescriptorCount();
      return max > 0 ? max : UNKNOWN;
    }
    return UNKNOWN;
  }
}
