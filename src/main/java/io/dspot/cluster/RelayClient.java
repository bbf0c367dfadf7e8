package io.dspot.cluster;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Byte ranges of peers' blobs for a relay (a node streaming a song it does not hold), one instance
 * per event loop. Where {@link PeerClient#openBytes} is patient (the peer's breaker with its
 * retries), a relay has other holders: it asks each one once, gives a holder that has not started
 * answering {@link #HEADER_DEADLINE_MILLIS} before moving on, and leaves the retry to the next
 * holder. Failures still count against the peer's one breaker (shared with {@link PeerClient}),
 * and a peer whose breaker is open is not asked at all.
 *
 * <p>Its own connection pool: created on the event loop that uses it, so a relayed body is read
 * and written on one thread instead of hopping between event loops chunk by chunk. Not
 * thread-safe on purpose; use it from that event loop only.
 */
public final class RelayClient {

  /**
   * How long a holder may take to send its status line when another holder could answer instead.
   * A live holder on the internal network answers a range within milliseconds (sendFile, no
   * database); one that is silent for a second is frozen (stopped, swapping, stuck in GC) or
   * drowning, and Hazelcast may keep listing it for several seconds more. Waiting the peers'
   * usual timeout with retries instead cost a listener about 6 s of silence.
   */
  public static final long HEADER_DEADLINE_MILLIS = 1_000;

  /**
   * Relayed bodies arrive in pieces of at most this size (Vert.x's default is 8 KiB): fewer,
   * larger writes to the listener. 64 KiB is what one socket read gives at most anyway.
   */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;
  /** Enough for every concurrent listener of one event loop on one holder; more wait for a connection. */
  private static final int CONNECTIONS_PER_PEER = 32;

  private final Vertx vertx;
  private final PeerClient peers;
  private final HttpClient http;

  RelayClient(Vertx vertx, PeerClient peers) {
    this.vertx = vertx;
    this.peers = peers;
    HttpClientOptions options = peers.bytesOptions().setTcpNoDelay(true).setMaxChunkSize(MAX_CHUNK_BYTES);
    this.http = vertx.createHttpClient(options.setConnectTimeout((int) Math.min(options.getConnectTimeout(), HEADER_DEADLINE_MILLIS)),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_PEER));
  }

  /**
   * GET {@code path} on one peer with a {@code Range} header, once. Succeeds when the status line
   * and headers arrived with a status below 500, the response paused and its body unread (as
   * {@link PeerClient#openBytes}). Fails, and counts against the peer, on a 5xx, no connection, or
   * no status line within {@link #HEADER_DEADLINE_MILLIS} ({@code othersLeft}) or the peers' usual
   * timeout (the last holder: nobody else could answer sooner). Fails at once when the peer's
   * breaker is open.
   */
  public Future<HttpClientResponse> open(String peerNodeId, String path, String range, boolean othersLeft) {
    long deadline = othersLeft ? HEADER_DEADLINE_MILLIS : peers.timeoutMillis();
    return peers.internalEndpointOf(peerNodeId).compose(peer -> {
      CircuitBreaker breaker = peers.breakerFor(peer.nodeId());
      CircuitBreakerState state = breaker.state();
      if (state == CircuitBreakerState.OPEN) {
        return Future.failedFuture(new PeerClient.PeerFailure(peer.nodeId() + ": circuit open"));
      }
      if (state == CircuitBreakerState.HALF_OPEN) {
        // The breaker's one trial call decides whether it closes again.
        return breaker.execute(() -> attempt(peer, path, range, deadline));
      }
      return attempt(peer, path, range, deadline).onFailure(failure -> {
        if (failure instanceof PeerClient.PeerFailure) {
          peers.reportFailure(peer.nodeId(), failure.getMessage());
        }
      });
    });
  }

  /** A failure seen after {@link #open} succeeded (a body cut short, wrong bytes): counts against the peer. */
  public void reportFailure(String peerNodeId, String why) {
    peers.reportFailure(peerNodeId, why);
  }

  public Future<Void> close() {
    return http.close();
  }

  private Future<HttpClientResponse> attempt(Endpoint peer, String path, String range, long deadlineMillis) {
    Promise<HttpClientResponse> answered = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(peer.host()).setPort(peer.port())
        .setURI(path).setIdleTimeout(peers.timeoutMillis()).putHeader("User-Agent", "dspot-relay").putHeader("Range", range);
    // One timer from the start: a frozen peer accepts connections (the kernel does), then says nothing.
    long timer = vertx.setTimer(deadlineMillis, t -> answered.tryFail(new PeerClient.PeerFailure(
        peer.nodeId() + " sent no status line within " + deadlineMillis + " ms for " + path)));
    http.request(options).onComplete(requested -> {
      if (requested.failed()) {
        answered.tryFail(new PeerClient.PeerFailure(peer.nodeId() + ": " + requested.cause().getMessage()));
        return;
      }
      HttpClientRequest request = requested.result();
      answered.future().onFailure(late -> request.reset());
      request.send().onComplete(sent -> {
        if (sent.failed()) {
          answered.tryFail(new PeerClient.PeerFailure(peer.nodeId() + ": " + sent.cause().getMessage()));
          return;
        }
        HttpClientResponse response = sent.result();
        response.pause();
        if (response.statusCode() >= 500) {
          answered.tryFail(new PeerClient.PeerFailure(peer.nodeId() + " answered " + response.statusCode() + " for " + path));
        } else if (!answered.tryComplete(response)) {
          request.reset();
        }
      });
    });
    return answered.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
