package io.dspot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One HTTP server's request meters, under the names and labels vertx-micrometer gives them (so
 * dashboards and docs/METRICS.md stay as they were), but found without building anything per
 * request. vertx-micrometer builds a {@code Tags} and looks its meters up in the registry (hashing
 * every tag) four times per request; on a 64 KiB range that was ~8 % of the event loops' CPU
 * (bench/metrics-cost.md). Here a request costs one small object and two map lookups by strings
 * that are constants (the method's name, the route template vertx-web passes); a meter is
 * registered once, the first time its (method, route, status) occurs.
 *
 * <p>Bounded labels: the route is the last route template the request matched (never the raw
 * path; {@code other} when none did), the method one of Vert.x's known ones ({@code other} for a
 * made-up one), the status whatever the server answered (a fixed set in our code).
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, Void, Boolean> {

  static final String NO_ROUTE = "other";
  private static final String OTHER_METHOD = "other";
  private static final Set<String> KNOWN_METHODS = HttpMethod.values().stream().map(HttpMethod::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final MeterRegistry registry;
  private final Tags local;
  private final LongAdder connections = new LongAdder();
  private final Counter bytesRead;
  private final Counter bytesWritten;
  private final ConcurrentHashMap<String, MethodMeters> methods = new ConcurrentHashMap<>();

  HttpServerMeters(MeterRegistry registry, SocketAddress localAddress) {
    this.registry = registry;
    this.local = Tags.of("local", localAddress == null ? "?" : localAddress.toString());
    Gauge.builder("vertx.http.server.active.connections", connections, LongAdder::sum).description("Number of opened connections to the server")
        .tags(local).register(registry);
    bytesRead = Counter.builder("vertx.http.server.bytes.read").description("Number of bytes received by the server").tags(local).register(registry);
    bytesWritten = Counter.builder("vertx.http.server.bytes.written").description("Number of bytes sent by the server").tags(local).register(registry);
  }

  /** What is known of a request while it is served: the meters of its method, when it began, the route it matched. */
  static final class Request {
    private final MethodMeters method;
    private final long startNanos;
    private String route = NO_ROUTE;
    private boolean finished;

    private Request(MethodMeters method, long startNanos) {
      this.method = method;
      this.startNanos = startNanos;
    }
  }

  @Override
  public Boolean connected(SocketAddress remoteAddress, String remoteName) {
    connections.increment();
    return Boolean.TRUE;
  }

  @Override
  public void disconnected(Boolean socket, SocketAddress remoteAddress) {
    connections.decrement();
  }

  @Override
  public void bytesRead(Boolean socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.increment(numberOfBytes);
  }

  @Override
  public void bytesWritten(Boolean socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.increment(numberOfBytes);
  }

  @Override
  public Request requestBegin(Boolean socket, HttpRequest request) {
    MethodMeters method = method(request.method().name());
    method.active.increment();
    return new Request(method, System.nanoTime());
  }

  @Override
  public void requestRouted(Request request, String route) {
    // vertx-web reports every route the request passed (the guards on /api/* first): the last one
    // answered. A route without a path (the web player's files, the catch-all guards) has no name.
    if (route != null) {
      request.route = route;
    }
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.method.requestBytes.record(bytesRead);
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    long nanos = System.nanoTime() - request.startNanos;
    if (finish(request)) {
      request.method.outcome(request.route, response.statusCode()).record(nanos, bytesWritten);
    }
  }

  @Override
  public void requestReset(Request request) {
    finish(request);
  }

  private static boolean finish(Request request) {
    if (request.finished) {
      return false;
    }
    request.finished = true;
    request.method.active.decrement();
    return true;
  }

  private MethodMeters method(String name) {
    MethodMeters found = methods.get(name);
    if (found != null) {
      return found;
    }
    String label = KNOWN_METHODS.contains(name) ? name : OTHER_METHOD;
    return methods.computeIfAbsent(label, m -> new MethodMeters(registry, local.and("method", m)));
  }

  /** A method's meters, and those of every route and status answered to it. */
  private static final class MethodMeters {
    private final MeterRegistry registry;
    private final Tags tags;
    private final LongAdder active = new LongAdder();
    private final DistributionSummary requestBytes;
    private final ConcurrentHashMap<String, Outcomes> routes = new ConcurrentHashMap<>();

    MethodMeters(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
      Gauge.builder("vertx.http.server.active.requests", active, LongAdder::sum).description("Number of requests being processed").tags(tags)
          .register(registry);
      requestBytes = DistributionSummary.builder("vertx.http.server.request.bytes").description("Size of requests in bytes").tags(tags).register(registry);
    }

    Outcome outcome(String route, int status) {
      Outcomes outcomes = routes.get(route);
      if (outcomes == null) {
        outcomes = routes.computeIfAbsent(route, r -> new Outcomes(registry, tags.and("route", r)));
      }
      return outcomes.of(status);
    }
  }

  /**
   * A route's meters per status. A route answers a handful of statuses, so a scan of a small array
   * (replaced whole when a status first occurs) beats a map keyed by a boxed int.
   */
  private static final class Outcomes {
    private final MeterRegistry registry;
    private final Tags tags;
    private volatile Outcome[] known = new Outcome[0];

    Outcomes(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
    }

    Outcome of(int status) {
      for (Outcome outcome : known) {
        if (outcome.status == status) {
          return outcome;
        }
      }
      return add(status);
    }

    private synchronized Outcome add(int status) {
      for (Outcome outcome : known) {
        if (outcome.status == status) {
          return outcome;
        }
      }
      Outcome outcome = new Outcome(registry, tags.and("code", Integer.toString(status)), status);
      Outcome[] grown = java.util.Arrays.copyOf(known, known.length + 1);
      grown[known.length] = outcome;
      known = grown;
      return outcome;
    }
  }

  /** The meters of one (method, route, status): how many, how long, how big. */
  private static final class Outcome {
    private final int status;
    private final Counter requests;
    private final Timer responseTime;
    private final DistributionSummary responseBytes;

    Outcome(MeterRegistry registry, Tags tags, int status) {
      this.status = status;
      requests = Counter.builder("vertx.http.server.requests").description("Number of processed requests").tags(tags).register(registry);
      // The histogram's buckets come from Metrics' filter for vertx.http.* timers, as for the client's.
      responseTime = Timer.builder("vertx.http.server.response.time").description("Request processing time").tags(tags).register(registry);
      responseBytes = DistributionSummary.builder("vertx.http.server.response.bytes").description("Size of responses in bytes").tags(tags)
          .register(registry);
    }

    void record(long nanos, long bytes) {
      requests.increment();
      responseTime.record(nanos, TimeUnit.NANOSECONDS);
      responseBytes.record(bytes);
    }
  }
}
