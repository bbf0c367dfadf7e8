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
}
