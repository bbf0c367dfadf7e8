package io.dspot.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How one folder import goes: counts, files per second and the time left. Plain fields, read by
 * the status answer, the progress log line and metrics; written on the verticle's event loop.
 */
public final class ImportProgress {

  private static final int MAX_ERRORS = 100;

  private final String path;
  private final long startNanos;
  private volatile String state = "running";
  private volatile int found;
  private volatile int imported;
  private volatile int duplicates;
  private volatile int unchanged;
  private volatile int failed;
  private volatile long endNanos;
  private volatile String error;
  private final JsonArray errors = new JsonArray();

  ImportProgress(String path, long startNanos) {
    this.path = path;
    this.startNanos = startNanos;
  }

  public String path() {
    return path;
  }

  public boolean running() {
    return "running".equals(state);
  }

  /** Files found in the folder (audio, plus links refused for leading out of the root). */
  public int found() {
    return found;
  }

  /** Files dealt with so far: imported, duplicates, unchanged since the last import, failed. */
  public int done() {
    return imported + duplicates + unchanged + failed;
  }

  /** Files per second since the import started (0 before the first second's work is known). */
  public double filesPerSecond() {
    double seconds = elapsedNanos() / 1e9;
    return seconds <= 0 ? 0 : done() / seconds;
  }

  /** Seconds left at the rate so far; -1 while unknown (nothing done yet). */
  public long etaSeconds() {
    double rate = filesPerSecond();
    if (!running()) {
      return 0;
    }
    return rate <= 0 ? -1 : Math.round((found - done()) / rate);
  }

  long elapsedNanos() {
    return (endNanos != 0 ? endNanos : System.nanoTime()) - startNanos;
  }

  void found(int files) {
    found = files;
  }

  void imported() {
    imported++;
  }

  void duplicate() {
    duplicates++;
  }

  void unchanged(int files) {
    unchanged += files;
  }

  /** {@code file} is relative to the import root: the answer does not map the server's disk. */
  void failed(String file, String error) {
    failed++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(new JsonObject().put("file", file).put("error", error));
    }
  }

  /** {@code why}: what stopped the whole import (state failed), or null. */
  void end(String finalState, String why) {
    endNanos = System.nanoTime();
    error = why;
    state = finalState;
  }

  /** The job as the admin API and Subsonic's scan status show it. */
  JsonObject toJson() {
    return new JsonObject().put("path", path).put("state", state)
        .put("found", found).put("done", done()).put("imported", imported).put("duplicates", duplicates)
        .put("unchanged", unchanged).put("failed", failed)
        .put("filesPerSecond", Math.round(filesPerSecond() * 10) / 10.0).put("etaSeconds", etaSeconds())
        .put("elapsedMs", elapsedNanos() / 1_000_000).put("errors", errors.copy()).put("error", error);
  }

  /** The progress log line: {@code 500/1000 files, 820 files/s, ETA 1 s}. */
  String describe() {
    long eta = etaSeconds();
    return done() + "/" + found + " files, " + Math.round(filesPerSecond()) + " files/s" + (eta < 0 ? "" : ", ETA " + eta + " s");
  }
}
