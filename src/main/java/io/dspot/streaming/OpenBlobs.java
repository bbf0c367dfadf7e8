package io.dspot.streaming;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob files one event loop keeps open for a little while. Seeking fires many small ranges at a
 * few songs, and Vert.x's {@code sendFile(path)} opens, stats twice and closes the file for every
 * one of them; an open channel is sent from directly (Vert.x neither closes nor repositions it).
 *
 * <p>A file is closed once nobody sent from it for {@link #IDLE_MILLIS}, when more than
 * {@link #CAPACITY} are open (least recently used first), or as soon as {@link #closeAll} is
 * called (a song deleted, a blob lost or dropped: a deleted song must stop streaming, and an
 * unlinked file must not keep its disk space). A response still sending from a file that is
 * closed that way keeps it open until it ends. One instance per event loop; not thread-safe.
 */
final class OpenBlobs {

  private static final Logger LOG = LoggerFactory.getLogger(OpenBlobs.class);
  static final int CAPACITY = 64;
  static final long IDLE_MILLIS = 10_000;

  /** One open file; {@code sending} responses use it, and a retired one closes when the last ends. */
  private static final class Handle {
    final FileChannel channel;
    int sending;
    long lastUsedNanos;
    boolean retired;

    Handle(FileChannel channel) {
      this.channel = channel;
    }
  }

  private final Vertx vertx;
  private final Map<Path, Handle> open = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true);
  private long sweepTimer = -1;

  OpenBlobs(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends {@code length} bytes from {@code offset} of {@code path} as the whole response body (zero
   * copy over plain HTTP). Fails without touching the response when the file cannot be opened.
   */
  Future<Void> send(HttpServerResponse response, Path path, long offset, long length) {
    Handle handle;
    try {
      handle = acquire(path);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    return response.sendFile(handle.channel, offset, length).andThen(done -> release(handle));
  }

  /** Closes every open file now (those still being sent from when their responses end). */
  void closeAll() {
    List<Handle> all = new ArrayList<>(open.values());
    open.clear();
    all.forEach(this::retire);
  }

  /** Files open now, for tests. */
  int size() {
    return open.size();
  }

  private Handle acquire(Path path) throws IOException {
    Handle handle = open.get(path);
    if (handle == null) {
      handle = new Handle(FileChannel.open(path, StandardOpenOption.READ));
      open.put(path, handle);
      if (open.size() > CAPACITY) {
        var eldest = open.entrySet().iterator();
        retire(eldest.next().getValue());
        eldest.remove();
      }
      armSweep();
    }
    handle.sending++;
    handle.lastUsedNanos = System.nanoTime();
    return handle;
  }

  private void release(Handle handle) {
    handle.sending--;
    handle.lastUsedNanos = System.nanoTime();
    if (handle.retired && handle.sending == 0) {
      close(handle);
    }
  }

  private void retire(Handle handle) {
    handle.retired = true;
    if (handle.sending == 0) {
      close(handle);
    }
  }

  /** One timer while anything is open, none while idle: an idle node wakes for nothing. */
  private void armSweep() {
    if (sweepTimer == -1) {
      sweepTimer = vertx.setTimer(IDLE_MILLIS, t -> sweep());
    }
  }

  private void sweep() {
    sweepTimer = -1;
    long idleSince = System.nanoTime() - IDLE_MILLIS * 1_000_000;
    var entries = open.values().iterator();
    while (entries.hasNext()) {
      Handle handle = entries.next();
      if (handle.sending == 0 && handle.lastUsedNanos - idleSince <= 0) {
        entries.remove();
        close(handle);
      }
    }
    if (!open.isEmpty()) {
      armSweep();
    }
  }

  private static void close(Handle handle) {
    try {
      handle.channel.close();
    } catch (IOException e) {
      LOG.debug("Closing a blob file failed", e);
    }
  }
}
