package io.dspot.ingest;

/** A file the node refuses, with the HTTP status that says why (400, 413 or 415). */
final class IngestException extends RuntimeException {
  public final int status;
  public final String file;

  public IngestException(int status, String file, String message) {
    super(message);
    this.status = status;
    this.file = file;
  }
}
