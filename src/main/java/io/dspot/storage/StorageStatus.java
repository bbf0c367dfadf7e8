package io.dspot.storage;

import io.vertx.core.json.JsonObject;

/**
 * The answer of {@link StorageAddresses#STATUS}: the blob store's disk (free, total, the reserve
 * and whether it is {@code full}), what it holds, and the scrub's progress. A node that is
 * {@code full} takes no uploads and no replicas. Its JSON form lives here and nowhere else:
 * {freeBytes, totalBytes, minFreeBytes, full, blobs, bytes, scrub: {...}}.
 */
public record StorageStatus(DiskUsage disk, long blobs, long bytes, JsonObject scrub) {

  public JsonObject toJson() {
    return disk.toJson().put("blobs", blobs).put("bytes", bytes).put("scrub", scrub);
  }

  public static StorageStatus fromJson(JsonObject json) {
    return new StorageStatus(DiskUsage.fromJson(json), json.getLong("blobs"), json.getLong("bytes"), json.getJsonObject("scrub"));
  }
}
