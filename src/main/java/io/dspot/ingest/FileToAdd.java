package io.dspot.ingest;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The body of {@link IngestAddresses#FILE_ADD}: a file already copied into the blob store's temp
 * area and hashed on the way. Its JSON form lives here and nowhere else.
 *
 * @param name the file's name as the user knows it, for messages and for guessing untagged titles
 * @param copied written and hashed by {@code BlobStore.copyIn} (a folder import, the demo), so its
 *     commit need not hash it again; an upload's chunks were written asynchronously and are re-hashed
 */
public record FileToAdd(Path tempFile, String name, String sha256, long size, boolean demo, boolean copied) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("tempFile", tempFile.toString())
        .put("name", name)
        .put("sha256", sha256)
        .put("size", size)
        .put("demo", demo)
        .put("copied", copied);
  }

  public static FileToAdd fromJson(JsonObject json) {
    return new FileToAdd(Path.of(json.getString("tempFile")), json.getString("name"), json.getString("sha256"),
        json.getLong("size"), json.getBoolean("demo", false), json.getBoolean("copied", false));
  }
}
