package io.dspot.streaming;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.cluster.RelayClient;
import io.dspot.storage.BlobRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An album cover this node does not hold, relayed whole from a live node that does. The catalog
 * knows a cover's hash and type but not its size, which the relay must announce and check, so the
 * first holder that answers is asked for one byte (its {@code Content-Range} gives the size); the
 * picture then goes through {@link ProxiedBlob} like a song's bytes, with the same failover.
 */
final class CoverRelay {

  private static final Pattern FIRST_BYTE = Pattern.compile("bytes 0-0/(\\d+)");

  private final RelayClient relay;
  private final BlobHolders holders;
  private final RateLimitedWarning failovers = ProxiedBlob.failoverWarnings();

  CoverRelay(Vertx vertx, RelayClient relay, String selfNodeId) {
    this.relay = relay;
    this.holders = new BlobHolders(vertx, selfNodeId);
  }

  /**
   * Sends the whole cover as the response's body and ends it. Fails with {@link SongUnavailable}
   * when no holder could be reached, before anything was written if none answered at all.
   */
  Future<Void> send(HttpServerResponse response, String sha256) {
    String unavailable = "cover " + sha256 + ": no node holding it is reachable";
    return holders.others(sha256, unavailable).compose(others -> sizeFrom(others, 0, sha256, unavailable)
        .compose(sized -> new ProxiedBlob(relay, sha256, sized.size(), others.subList(sized.holder(), others.size()),
            unavailable, failovers).send(response, 0, sized.size())));
  }

  /** The blob's size, as told by {@code holders.get(holder)}, or by the next ones if that one cannot say. */
  private Future<Sized> sizeFrom(List<String> holders, int holder, String sha256, String unavailable) {
    if (holder >= holders.size()) {
      return Future.failedFuture(new SongUnavailable(unavailable));
    }
    String peer = holders.get(holder);
    return relay.open(peer, BlobRoutes.pathOf(sha256), "bytes=0-0", holder + 1 < holders.size())
        .compose(answer -> {
          Matcher range = FIRST_BYTE.matcher(String.valueOf(answer.getHeader(HttpHeaders.CONTENT_RANGE)));
          if (answer.statusCode() != 206 || !range.matches()) {
            // A 404: the index is ahead of (or behind) that holder's disk; the peer itself is healthy.
            answer.request().reset();
            return Future.failedFuture(peer + " answered " + answer.statusCode());
          }
          long size = Long.parseLong(range.group(1));
          return readOut(answer).map(v -> new Sized(holder, size));
        })
        .recover(failure -> {
          failovers.warnFor(peer, "cover {}: could not learn its size from {} ({}); asking the next holder",
              sha256, peer, failure.getMessage());
          return sizeFrom(holders, holder + 1, sha256, unavailable);
        });
  }

  /** Reads the one byte, so the connection goes back to the pool. */
  private static Future<Void> readOut(HttpClientResponse answer) {
    Future<Void> read = answer.body().mapEmpty();
    answer.resume();
    return read;
  }

  /** A cover's size and the first holder that told it (the relay starts there). */
  private record Sized(int holder, long size) {}
}
