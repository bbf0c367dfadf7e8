package io.dspot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.dspot.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * One node's meters: a Prometheus registry of its own (several nodes share a JVM in tests), handed
 * to Vert.x when it is built so its HTTP, event-bus, pool and JVM meters land there too. Modules
 * find it with {@link #of(Vertx)} and record with one call; when {@code metrics.enabled} is false
 * every call records into a registry that keeps nothing.
 */
public final class Metrics implements Shareable {

  private static final String LOCAL_MAP = "dspot.metrics";
  private static final Metrics OFF = new Metrics(null, false);
  /**
   * Fixed latency buckets rather than Micrometer's ~70 per series: one series per route, method
   * and status already, and these bound what a dashboard can ask (1 ms to 10 s).
   */
  private static final Duration[] LATENCY_BUCKETS = java.util.stream.Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);
  private static final java.util.concurrent.atomic.AtomicLong REGISTRIES = new java.util.concurrent.atomic.AtomicLong();
  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

  private final PrometheusMeterRegistry prometheus;
  private final boolean publicEndpoint;
  private final MeterRegistry registry;
  private final java.util.List<java.util.function.Supplier<Future<?>>> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Timer commit;
  private final DistributionSummary batch;
  private final Counter streamed;

  private Metrics(PrometheusMeterRegistry prometheus, boolean publicEndpoint) {
    this.prometheus = prometheus;
    this.publicEndpoint = publicEndpoint;
    this.registry = prometheus == null ? new CompositeMeterRegistry() : prometheus;
    if (prometheus != null) {
      prometheus.config()
          // Micrometer's own names that promtool's lint refuses (abbreviated units, a _count gauge); process_cpu_usage and system_cpus say the same.
          .meterFilter(MeterFilter.denyNameStartsWith("jvm.compilation.time"))
          .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
          .meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
              return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
          })
          .meterFilter(latencyHistograms());
    }
    commit = Timer.builder(MeterNames.LOG_COMMIT).description("one ordered-log batch committed on the token holder")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    batch = DistributionSummary.builder(MeterNames.LOG_BATCH_SIZE).description("commands in one committed ordered-log batch")
        .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
    streamed = Counter.builder(MeterNames.STREAM_BYTES).baseUnit("bytes").description("song bytes sent to listeners").register(registry);
  }

  /** A node's metrics as configured; Vert.x's own meters join once {@link #applyTo} built it. */
  public static Metrics create(NodeConfig.Metrics config) {
    return config.enabled() ? new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.publicEndpoint()) : OFF;
  }

  /** Metrics off: every call is a no-op and there is nothing to serve. */
  public static Metrics off() {
    return OFF;
  }

  /** The node's metrics, or {@link #off()} for a Vert.x they were not attached to (tools, tests of one class). */
  public static Metrics of(Vertx vertx) {
    Object found = vertx.sharedData().getLocalMap(LOCAL_MAP).get(LOCAL_MAP);
    return found instanceof Metrics m ? m : OFF;
  }

  /**
   * Vert.x reports into this registry; the HTTP servers' requests through {@link HttpServerMeters}
   * (cheaper per request than vertx-micrometer's, same names). Labels are bounded: the server's own
   * address (internal or public), the matched route template, never the raw path (an id per song,
   * or a hostile client's made-up paths, would each be a series), and no event-bus address (reply
   * addresses are unique per message).
   */
  public VertxBuilder applyTo(VertxBuilder builder, VertxOptions options) {
    if (prometheus == null) {
      return builder.with(options);
    }
    options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        // vertx-micrometer keeps its registries in a JVM-wide map by this name: one per node, or a
        // second node in the same JVM (tests, tools) would report into the first one's registry.
        .setRegistryName("dspot-" + REGISTRIES.incrementAndGet())
        .setJvmMetricsEnabled(true)
        // vertx-micrometer drops the tags of labels left out here from every vertx.* meter, HttpServerMeters' too.
        .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME)));
    return builder.with(options).withMetrics(new NodeMetricsFactory(new MicrometerMetricsFactory(prometheus), prometheus));
  }

  /** Makes these metrics the ones {@link #of} finds for {@code vertx}, and starts the event-loop probe. */
  public void attach(Vertx vertx) {
    if (prometheus == null) {
      return;
    }
    vertx.sharedData().getLocalMap(LOCAL_MAP).put(LOCAL_MAP, this);
    EventLoopDelay.start(vertx, registry);
  }

  public boolean enabled() {
    return prometheus != null;
  }

  /** {@code metrics.public}: the external {@code /metrics} answers anyone, not only admins. */
  public boolean publicEndpoint() {
    return publicEndpoint;
  }

  /** {@code refresh} runs before each scrape, for gauges whose values are asked over the bus. */
  public void beforeScrape(java.util.function.Supplier<Future<?>> refresh) {
    beforeScrape.add(refresh);
  }

  /**
   * The Prometheus text after every {@link #beforeScrape} refresh has answered or failed (a module
   * that does not answer leaves its gauges at their last value); null when metrics are off.
   */
  public Future<String> scrapeFresh() {
    if (prometheus == null) {
      return Future.succeededFuture(null);
    }
    return Future.join(beforeScrape.stream().map(java.util.function.Supplier::get).toList()).transform(done -> Future.succeededFuture(prometheus.scrape()));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A value read at each scrape (it must be cheap and thread-safe: scrapes run on any event loop). */
  public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  /** The token holder committed {@code commands} in one transaction that took {@code nanos}. */
  public void logCommitted(long nanos, int commands) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
    batch.record(commands);
  }

  public void streamed(long bytes) {
    if (bytes > 0) {
      streamed.increment(bytes);
    }
  }

  /** One file a folder import went through: {@code added}, {@code duplicate} or {@code failed}. */
  public void imported(String outcome) {
    Counter.builder(MeterNames.IMPORT_FILES).description("files a folder import went through").tag("outcome", outcome)
        .register(registry).increment();
  }

  /** Vert.x's HTTP server and client latencies as histograms with the same buckets as ours, so rates and quantiles aggregate across nodes. */
  private static MeterFilter latencyHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("vertx.http.")) {
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(java.util.Arrays.stream(LATENCY_BUCKETS).mapToDouble(d -> d.toNanos()).toArray())
              .build().merge(config);
        }
        return config;
      }
    };
  }
}
