package io.dspot.ingest;

/** Event-bus addresses of the ingest module. */
public final class IngestAddresses {
  private IngestAddresses() {}

  /**
   * {@link FileToAdd} → {song, duplicate}. The temp file (already hashed, in
   * the blob store's temp area) is consumed either way; rejections fail with 400/413/415 and the
   * file name in the message.
   */
  public static final String FILE_ADD = "ingest.file.add";
  /** {path}, or {defaultRoot: true} for the first import root → the job; the import itself runs on. */
  public static final String FOLDER_IMPORT = "ingest.folder.import";
  /** {} → the latest job, or 404. */
  public static final String IMPORT_STATUS = "ingest.import.status";
  /** Published when an import job ends: the job. */
  public static final String IMPORT_FINISHED = "ingest.import.finished";
}
