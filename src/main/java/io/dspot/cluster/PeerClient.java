package io.dspot.cluster;

import io.dspot.bus.ServiceException;
import io.dspot.pki.MemberTls;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls other nodes' internal HTTP API, over mutual TLS (this member's certificate, trusting only
 * the cluster CA; see {@link MemberTls} on host names). Peers are found in the service registry (their internal
 * endpoint records), never in the config. Every call to a peer goes through that peer's one
 * circuit breaker (timeout, retries, transitions logged), over one shared WebClient.
 *
 * <p>A peer that answers 5xx, something that is not a JSON object, or nothing in time counts as a
 * failure of that peer; a 4xx is the peer refusing our request (it is healthy) and fails the call
 * with the same status without counting against the peer. Thread-safe: one instance per node.
 */
public final class PeerClient {

  private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

  /** How patient to be with one peer. */
  public record Settings(long timeoutMillis, int retries, long retryDelayMillis, int maxFailures, long resetMillis) {
    public static Settings defaults() {
      return new Settings(2_000, 2, 100, 3, 5_000);
    }
  }

  /** A peer's answer that is not a failure of the peer: 2xx with a JSON object, or a 4xx refusal. */
  private record Answer(int status, JsonObject body) {}

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final String selfNodeId;
  private final Settings settings;
  /** This member's certificate and the cluster CA; null only for a cluster set to run insecure. */
  private final MemberTls tls;
  private final WebClient http;
  /** Raw bytes (blobs) stream through this one, unbuffered; the JSON calls go through {@link #http}. */
  private final HttpClient bytes;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  /** {@code tls}: this member's certificate and the cluster CA; null only for a cluster set to run insecure. */
  public PeerClient(Vertx vertx, ServiceDiscovery discovery, String selfNodeId, Settings settings, MemberTls tls) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.selfNodeId = selfNodeId;
    this.settings = settings;
    this.tls = tls;
    this.http = WebClient.create(vertx, withTls(tls, new WebClientOptions()
        .setConnectTimeout((int) Math.min(settings.timeoutMillis(), 1_000))
        .setKeepAlive(true)
        .setUserAgent("dspot-peer")));
    this.bytes = vertx.createHttpClient(bytesOptions(), new PoolOptions().setHttp1MaxSize(16));
  }

  /**
   * How raw bytes are fetched from a peer's internal API: by {@link #openBytes} and by every
   * {@link RelayClient}, which adds its own tuning. One place, so both always speak to peers alike
   * (with the member certificate and the cluster CA).
   */
  HttpClientOptions bytesOptions() {
    return withTls(tls, new HttpClientOptions()
        .setConnectTimeout((int) Math.min(settings.timeoutMillis(), 1_000))
        .setKeepAlive(true));
  }

  private static <T extends HttpClientOptions> T withTls(MemberTls tls, T options) {
    return tls == null ? options : tls.applyTo(options);
  }

  /**
   * GET raw bytes ({@code path}, e.g. a blob on the peer's internal API) from one named peer,
   * through that peer's circuit breaker, with an optional {@code Range} header. Succeeds once the
   * status line and headers arrived with a status below 500: the response is handed over paused,
   * its body unread, so the caller pipes it where it wants (a file, a client) and resumes it. A 5xx,
   * no connection or no headers in time counts against the peer. A body that stalls for longer
   * than the peer timeout fails the response's stream (its exception handler), which the caller
   * reports with {@link #reportFailure} if it wants the breaker to know.
   */
  public Future<HttpClientResponse> openBytes(String peerNodeId, String path, String range) {
    return internalEndpointOf(peerNodeId).compose(peer -> breakerFor(peer.nodeId()).<HttpClientResponse>execute(() -> {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(peer.host()).setPort(peer.port())
          .setURI(path).setIdleTimeout(settings.timeoutMillis()).putHeader("User-Agent", "dspot-peer");
      if (range != null) {
        options.putHeader("Range", range);
      }
      return bytes.request(options).compose(HttpClientRequest::send).compose(response -> {
        response.pause();
        if (response.statusCode() >= 500) {
          response.resume();
          return Future.failedFuture(new PeerFailure(peer.nodeId() + " answered " + response.statusCode() + " for " + path));
        }
        return Future.succeededFuture(response);
      });
    }));
  }

  /** A client for relayed byte ranges, to be used from the calling event loop only (see {@link RelayClient}). */
  public RelayClient relayClientForThisEventLoop() {
    return new RelayClient(vertx, this);
  }

  /** A failure seen after {@link #openBytes} succeeded (a body cut short, wrong bytes): counts against the peer. */
  public void reportFailure(String peerNodeId, String why) {
    breakerFor(peerNodeId).<Void>execute(promise -> promise.fail(new ReportedFailure(peerNodeId + ": " + why)))
        .onFailure(ignored -> { });
  }

  /** GET {@code pathAndQuery} (e.g. {@code /internal/events?after=10}) on one named peer. */
  public Future<JsonObject> getJson(String peerNodeId, String pathAndQuery) {
    return internalEndpointOf(peerNodeId).compose(peer -> call(peer, pathAndQuery));
  }

  /**
   * Asks the live peers one after another (in node-id order, this node excluded) until one
   * answers with a JSON object that {@code acceptable} takes. A peer whose breaker is open is
   * skipped without a request; one that fails, times out or answers garbage is passed over.
   * Fails with 503 when nobody could answer.
   */
  public Future<JsonObject> getJsonFromAny(String pathAndQuery, Predicate<JsonObject> acceptable) {
    return livePeers().compose(peers -> tryInTurn(peers, 0, pathAndQuery, acceptable, new ArrayList<>()));
  }

  /** The state of a peer's breaker; CLOSED for a peer never called. */
  public CircuitBreakerState breakerState(String peerNodeId) {
    CircuitBreaker breaker = breakers.get(peerNodeId);
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  public Future<Void> close() {
    breakers.values().forEach(CircuitBreaker::close);
    breakers.clear();
    http.close();
    return bytes.close();
  }

  private Future<JsonObject> tryInTurn(List<Endpoint> peers, int index, String pathAndQuery,
      Predicate<JsonObject> acceptable, List<String> failures) {
    if (index >= peers.size()) {
      String tried = failures.isEmpty() ? "no live peer" : String.join("; ", failures);
      return Future.failedFuture(new ServiceException(503, "no peer could answer " + pathAndQuery + ": " + tried));
    }
    Endpoint peer = peers.get(index);
    if (breakerState(peer.nodeId()) == CircuitBreakerState.OPEN) {
      failures.add(peer.nodeId() + " skipped (circuit open)");
      return tryInTurn(peers, index + 1, pathAndQuery, acceptable, failures);
    }
    return call(peer, pathAndQuery).transform(done -> {
      if (done.succeeded() && acceptable.test(done.result())) {
        return Future.succeededFuture(done.result());
      }
      failures.add(peer.nodeId() + ": " + (done.succeeded() ? "answer not acceptable" : done.cause().getMessage()));
      return tryInTurn(peers, index + 1, pathAndQuery, acceptable, failures);
    });
  }

  private Future<JsonObject> call(Endpoint peer, String pathAndQuery) {
    return breakerFor(peer.nodeId()).<Answer>execute(() -> attempt(peer, pathAndQuery)).compose(answer -> {
      if (answer.status() >= 400) {
        String message = answer.body() != null && answer.body().getValue("error") instanceof String s ? s : "refused";
        return Future.failedFuture(new ServiceException(answer.status(), peer.nodeId() + " refused: " + message));
      }
      return Future.succeededFuture(answer.body());
    });
  }

  private Future<Answer> attempt(Endpoint peer, String pathAndQuery) {
    return http.get(peer.port(), peer.host(), pathAndQuery)
        .timeout(settings.timeoutMillis())
        .putHeader("Accept", "application/json")
        .send()
        .compose(response -> answerOf(peer, response));
  }

  private static Future<Answer> answerOf(Endpoint peer, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body;
    try {
      Buffer raw = response.body();
      body = raw == null ? null : new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (status >= 400 && status < 500) {
      return Future.succeededFuture(new Answer(status, body));
    }
    if (status >= 500) {
      return Future.failedFuture(new PeerFailure(peer.nodeId() + " answered " + status));
    }
    if (body == null) {
      return Future.failedFuture(new PeerFailure(peer.nodeId() + " answered " + status + " without a JSON object"));
    }
    return Future.succeededFuture(new Answer(status, body));
  }

  long timeoutMillis() {
    return settings.timeoutMillis();
  }

  CircuitBreaker breakerFor(String peerNodeId) {
    return breakers.computeIfAbsent(peerNodeId, id -> {
      String name = "peer " + id;
      CircuitBreaker breaker = CircuitBreaker.create(name, vertx, new CircuitBreakerOptions()
          .setMaxFailures(settings.maxFailures())
          .setMaxRetries(settings.retries())
          // The request has its own timeout; this one only guards against a lost callback.
          .setTimeout(settings.timeoutMillis() * 2)
          .setResetTimeout(settings.resetMillis())
          .setNotificationAddress(null));
      RetryPolicy patient = RetryPolicy.linearDelay(settings.retryDelayMillis(), settings.retryDelayMillis() * 5);
      // A reported failure already happened: "retrying" it only fails again, so count it now, not after the delays.
      breaker.retryPolicy((failure, attempt) -> failure instanceof ReportedFailure ? 0 : patient.delay(failure, attempt));
      breaker.openHandler(v -> log.warn("{}: circuit OPEN after {} failures, no calls for {} ms", name,
          breaker.failureCount(), settings.resetMillis()));
      breaker.halfOpenHandler(v -> log.info("{}: circuit HALF-OPEN, trying one call", name));
      breaker.closeHandler(v -> log.info("{}: circuit CLOSED, peer answers again", name));
      return breaker;
    });
  }

  Future<Endpoint> internalEndpointOf(String peerNodeId) {
    Endpoint known = find(endpoints, peerNodeId);
    if (known != null) {
      refreshIfStale();
      return Future.succeededFuture(known);
    }
    // A peer that joined since the last read is worth one look at the registry.
    return refreshEndpoints().compose(list -> {
      Endpoint found = find(endpoints, peerNodeId);
      return found != null ? Future.succeededFuture(found)
          : Future.failedFuture(new ServiceException(503, "no live peer named " + peerNodeId + " in the registry"));
    });
  }

  private static Endpoint find(Endpoints known, String nodeId) {
    if (known == null) {
      return null;
    }
    for (Endpoint e : known.list()) {
      if (e.nodeId().equals(nodeId)) {
        return e;
      }
    }
    return null;
  }

  private Future<List<Endpoint>> livePeers() {
    return livePeersIncludingSelf().map(all -> all.stream().filter(p -> !p.nodeId().equals(selfNodeId)).toList());
  }

  /**
   * The registry is a cluster-wide map: reading it costs a round trip through Hazelcast, which a
   * relayed stream would pay on every request, and which stalls while the member owning that part
   * of the map is frozen (until Hazelcast gives up on it). So the last list read is answered at
   * once; when it is older than {@link #ENDPOINTS_FRESH_MILLIS} one read (never several at a time)
   * refreshes it in the background. A peer that left meanwhile fails fast (its breaker, its
   * connect timeout) and the caller moves on.
   */
  private Future<List<Endpoint>> livePeersIncludingSelf() {
    Endpoints cached = endpoints;
    if (cached == null) {
      return refreshEndpoints();
    }
    refreshIfStale();
    return Future.succeededFuture(cached.list());
  }

  private void refreshIfStale() {
    Endpoints cached = endpoints;
    if (cached == null || System.nanoTime() - cached.readAt() >= ENDPOINTS_FRESH_MILLIS * 1_000_000L) {
      refreshEndpoints();
    }
  }

  /** Reads the registry, or joins the read already on its way. */
  private Future<List<Endpoint>> refreshEndpoints() {
    Promise<List<Endpoint>> read = Promise.promise();
    Future<List<Endpoint>> running = refreshing.compareAndExchange(null, read.future());
    if (running != null) {
      return running;
    }
    long startedAt = System.nanoTime();
    discovery.getRecords(r -> Endpoint.Kind.INTERNAL.recordName.equals(r.getName()), false)
        .map(records -> records.stream().map(Endpoint::fromRecord).filter(Objects::nonNull)
            .sorted(Comparator.comparing(Endpoint::nodeId)).toList())
        .onComplete(done -> {
          if (done.succeeded()) {
            endpoints = new Endpoints(done.result(), startedAt);
          }
          refreshing.set(null);
          read.handle(done);
        });
    return read.future();
  }

  private static final long ENDPOINTS_FRESH_MILLIS = 1_000;

  private record Endpoints(List<Endpoint> list, long readAt) {}

  private volatile Endpoints endpoints;
  private final AtomicReference<Future<List<Endpoint>>> refreshing = new AtomicReference<>();

  /** The peer itself failed (5xx, garbage, no answer in time): counts against its breaker. */
  static class PeerFailure extends RuntimeException {
    PeerFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** A failure the caller saw and reports ({@link #reportFailure}): counted once, at once. */
  private static final class ReportedFailure extends PeerFailure {
    ReportedFailure(String message) {
      super(message);
    }
  }
}
