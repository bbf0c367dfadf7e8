package io.dspot.storage;

import io.vertx.core.json.JsonObject;

/**
 * The blob store's file system as last measured: what is free (usable by this process), its size,
 * and the free space the node keeps in reserve ({@code replication.minFreeBytes}). Below the
 * reserve the node is {@link #full()}: it refuses uploads and replicas and keeps serving.
 */
public record DiskUsage(long freeBytes, long totalBytes, long minFreeBytes) {

  private static final long MB = 1024 * 1024;

  public boolean full() {
    return freeBytes < minFreeBytes;
  }

  /** Whether {@code bytes} more still leave the reserve free. */
  public boolean fits(long bytes) {
    return freeBytes - bytes >= minFreeBytes;
  }

  /** "disk nearly full: 3 MB free, needs 8 MB": the reason {@code /api/health} gives. */
  public String describe() {
    return "disk nearly full: " + megabytes(freeBytes) + " MB free, needs " + megabytes(minFreeBytes) + " MB";
  }

  public JsonObject toJson() {
    return new JsonObject().put("freeBytes", freeBytes).put("totalBytes", totalBytes)
        .put("minFreeBytes", minFreeBytes).put("full", full());
  }

  public static DiskUsage fromJson(JsonObject json) {
    return new DiskUsage(json.getLong("freeBytes"), json.getLong("totalBytes"), json.getLong("minFreeBytes"));
  }

  private static long megabytes(long bytes) {
    return bytes / MB;
  }
}
