package io.dspot.streaming;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A blob on this node's disk: single bodies go out with zero-copy {@code sendFile}, from the
 * event loop's {@link OpenBlobs} when given one (else the file is opened per response); multipart
 * bodies are read part by part because {@code sendFile} ends the response and can be called once.
 */
record LocalBlob(Path path, OpenBlobs openFiles) implements SongBytes {

  /** Opens the file for each response. */
  LocalBlob(Path path) {
    this(path, null);
  }

  private static final int READ_CHUNK_BYTES = 64 * 1024;
  /**
   * Under TLS there is no zero-copy, and Vert.x's sendFile feeds the engine 8 KiB chunks from the
   * event loop: 1 MiB ranges ran at 0.2x nginx's rate that way, at 0.96x when read in larger chunks
   * off the event loop and piped (bench/README.md, streaming over TLS). A body that fits in one
   * such chunk still goes with sendFile: opening the file per request cost more there.
   */
  private static final int TLS_READ_CHUNK_BYTES = 128 * 1024;

  /** Plain HTTP, which is HTTP/1.x only here (the public server refuses h2c: ConnectionGuard), so an open channel can be sent. */
  @Override
  public Future<Void> send(HttpServerResponse response, long offset, long length) {
    // sendFile sets Content-Length itself from the bytes it will really send.
    return openFiles == null ? response.sendFile(path.toString(), offset, length) : openFiles.send(response, path, offset, length);
  }

  @Override
  public Future<Void> sendEncrypted(HttpServerResponse response, long offset, long length) {
    if (length <= TLS_READ_CHUNK_BYTES) {
      // By path, not from an open channel: TLS may carry HTTP/2, whose sendFile takes no channel.
      return response.sendFile(path.toString(), offset, length);
    }
    return currentVertx().fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .compose(file -> {
          response.putHeader(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH, Long.toString(length));
          return file.setReadPos(offset).setReadLength(length).setReadBufferSize(TLS_READ_CHUNK_BYTES).pipeTo(response)
              .eventually(file::close);
        });
  }

  @Override
  public Future<Void> copying(Function<SpanCopier, Future<Void>> parts) {
    return currentVertx().fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .compose(file -> parts.apply((response, lead, offset, length) -> copy(response, file, lead, offset, length))
            .eventually(file::close));
  }

  private static Future<Void> copy(HttpServerResponse response, AsyncFile file, Buffer lead, long offset, long length) {
    Future<Void> written = lead == null ? Future.succeededFuture() : response.write(lead);
    return written.compose(v -> copy(response, file, offset, length));
  }

  /** Reads and writes one chunk at a time; waiting for each write keeps memory flat for slow clients. */
  private static Future<Void> copy(HttpServerResponse response, AsyncFile file, long position, long remaining) {
    if (remaining == 0) {
      return Future.succeededFuture();
    }
    int chunk = (int) Math.min(READ_CHUNK_BYTES, remaining);
    return file.read(Buffer.buffer(chunk), 0, position, chunk).compose(read -> {
      if (read.length() == 0) {
        return Future.failedFuture(new IllegalStateException("file shorter than expected"));
      }
      return response.write(read).compose(v -> copy(response, file, position + read.length(), remaining - read.length()));
    });
  }

  private static Vertx currentVertx() {
    var context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("a local blob is streamed on a Vert.x context");
    }
    return context.owner();
  }
}
