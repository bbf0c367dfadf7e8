package io.dspot.storage;

import io.dspot.bus.ListenerActivity;
import io.dspot.bus.YieldingBandwidth;
import io.dspot.bus.LruCache;
import io.dspot.http.ApiReplies;
import io.dspot.http.InternalRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blob store's part of the internal peer API: {@code GET /internal/blobs/<sha256>} sends a
 * blob this node holds, whole or one byte range ({@code Range: bytes=a-b} or {@code bytes=a-}),
 * so a copy that was interrupted resumes where it stopped and a node that lacks a song can proxy
 * exactly the range its client asked for. One range only: peers never need more.
 *
 * <p>A relay for a peer's listener counts as listening on this node; a copy for a replica
 * ({@link #replicaPathOf}) yields to listeners ({@link ReplicaSender}).
 */
public final class BlobRoutes implements InternalRoutes {

  /** The path of a blob on a peer's internal API. */
  public static String pathOf(String sha256) {
    return "/internal/blobs/" + sha256;
  }

  /** The path a peer copying the blob as a replica asks for: sent at the pace listeners leave it. */
  public static String replicaPathOf(String sha256) {
    return pathOf(sha256) + "?" + PURPOSE + "=" + REPLICA;
  }

  private static final String PURPOSE = "for";
  private static final String REPLICA = "replica";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");

  /**
   * Sizes of blobs served lately. A relay asks for many ranges of one blob, and each file-system
   * look costs a round trip through a worker thread; content-addressed, a blob's size never
   * changes, only whether it is here. A blob dropped since it was looked at fails sendFile, which
   * resets the answer: its peer moves on to the next holder. Kept short so that is rare.
   */
  private static final long SIZE_FRESH_MILLIS = 30_000;
  private static final int SIZES = 10_000;

  private final Vertx vertx;
  private final BlobStore blobs;
  private final ListenerActivity listeners;
  private final ReplicaSender replicas;
  private final LruCache<String, Long> sizes = LruCache.expiring(SIZES, SIZE_FRESH_MILLIS);

  /** {@code replicaBandwidth}: the pace of blobs sent as replicas, used on the internal server's event loop only. */
  public BlobRoutes(Vertx vertx, BlobStore blobs, ListenerActivity listeners, YieldingBandwidth replicaBandwidth) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.listeners = listeners;
    this.replicas = new ReplicaSender(vertx, replicaBandwidth);
  }

  @Override
  public void mount(Router router) {
    router.route("/internal/blobs/:sha256").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::blob);
  }

  private void blob(RoutingContext ctx) {
    String sha = ctx.pathParam("sha256");
    if (!SHA256.matcher(sha).matches()) {
      ApiReplies.error(ctx, 400, "malformed blob id: expected 64 lowercase hex digits");
      return;
    }
    String path = blobs.pathFor(sha).toString();
    sizeOf(sha, path).onComplete(found -> {
      if (found.failed()) {
        ApiReplies.error(ctx, 404, "this node holds no blob " + sha);
        return;
      }
      long size = found.result();
      String range = ctx.request().getHeader("Range");
      long start = 0;
      long end = size - 1;
      HttpServerResponse response = ctx.response().putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
          .putHeader("X-Blob-Size", Long.toString(size));
      if (range != null) {
        Matcher m = ONE_RANGE.matcher(range.trim());
        if (!m.matches()) {
          ApiReplies.error(ctx, 400, "only one range 'bytes=a-b' or 'bytes=a-' is served here, got '" + range + "'");
          return;
        }
        start = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          end = Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        if (start >= size || start > end) {
          response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
          ApiReplies.error(ctx, 416, "range " + range + " is outside the blob's " + size + " bytes");
          return;
        }
        response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
      }
      long length = end - start + 1;
      if (ctx.request().method() == HttpMethod.HEAD || length == 0) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(Math.max(length, 0))).end();
        return;
      }
      if (REPLICA.equals(ctx.request().getParam(PURPOSE))) {
        replicas.send(response, path, start, length).onFailure(e -> ctx.response().reset());
      } else {
        ListenerActivity.Response listening = listeners.begin(() -> response.ended() || response.closed());
        response.sendFile(path, start, length).onComplete(sent -> {
          listening.end();
          if (sent.failed()) {
            ctx.response().reset();
          }
        });
      }
    });
  }

  /** The blob's size; fails when this node has no such file. */
  private Future<Long> sizeOf(String sha, String path) {
    Long known;
    synchronized (sizes) {
      known = sizes.get(sha);
    }
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.fileSystem().props(path).compose(props -> {
      if (!props.isRegularFile()) {
        return Future.failedFuture("not a file: " + path);
      }
      synchronized (sizes) {
        sizes.put(sha, props.size());
      }
      return Future.succeededFuture(props.size());
    });
  }
}
