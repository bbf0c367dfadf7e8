package io.dspot.storage;

/** Event-bus addresses of the storage module. */
public final class StorageAddresses {
  private StorageAddresses() {}

  /**
   * Local, fire-and-forget: {sha256: [hex digest, ...]} → removes those blobs from this node's disk. Sent by
   * the module that knows the content is no longer referenced here (the catalog, once it applied
   * a song's deletion); storage itself knows nothing of songs.
   */
  public static final String DELETE_BLOBS = "storage.blobs.delete";
  /** The key of {@link #DELETE_BLOBS}'s body: an array of SHA-256 hex digests. */
  public static final String BLOBS = "sha256";

  /**
   * Local publish: {sha256: hex digest} — a blob this node held was found short or corrupt (on
   * reading it, or by the scrub) and removed. Whoever keeps copies (replication) fetches it again.
   */
  public static final String BLOB_LOST = "storage.blob.lost";
  /** The key of {@link #BLOB_LOST}'s body: one SHA-256 hex digest. */
  public static final String BLOB = "sha256";

  /**
   * Local: {} → {@link StorageStatus}: disk free and total, whether the node is below its reserve
   * ({@code full}: it takes no uploads and no replicas), blobs held, the scrub's progress.
   */
  public static final String STATUS = "storage.status";
}
