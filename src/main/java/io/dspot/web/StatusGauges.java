package io.dspot.web;

import io.dspot.log.LogAddresses;
import io.dspot.metrics.MeterNames;
import io.dspot.metrics.Metrics;
import io.dspot.replication.ReplicationAddresses;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ordered log's and replication's figures as gauges, read from the status both already answer
 * on the bus (the cluster page shows the same), at each scrape rather than on a timer: an idle
 * node that nobody scrapes does no work for them. A module that does not answer in time keeps its
 * last values.
 */
final class StatusGauges {

  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final MultiGauge relayLag;

  private StatusGauges(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    gauge(registry, MeterNames.LOG_LAST_APPLIED, "the last ordered-log sequence number this node applied");
    gauge(registry, MeterNames.LOG_OUTBOX_BACKLOG, "events this node committed that a live node has not acknowledged yet");
    gauge(registry, MeterNames.LOG_QUEUED, "writes waiting on this node for the token");
    gauge(registry, MeterNames.LOG_HOLDING, "1 while this node holds the token");
    gauge(registry, MeterNames.REPLICATION_BACKLOG, "blobs waiting to be copied to or from this node");
    gauge(registry, MeterNames.REPLICATION_UNDER_REPLICATED, "blobs with fewer holders than the replication factor asks");
    Gauge.builder(MeterNames.REPLICATION_RATE, values, v -> v.getOrDefault(MeterNames.REPLICATION_RATE, 0.0))
        .baseUnit("bytes.per.second").description("this node's replication copy rate over the last seconds").register(registry);
    FunctionCounter.builder(MeterNames.REPLICATION_COPIED, values, v -> v.getOrDefault(MeterNames.REPLICATION_COPIED, 0.0))
        .baseUnit("bytes").description("bytes this node copied for replication").register(registry);
    relayLag = MultiGauge.builder(MeterNames.LOG_RELAY_LAG)
        .description("events between this node's last applied one and what that node acknowledged to this node's relay").register(registry);
  }

  /** Registers the gauges on the node's metrics and refreshes them before each scrape. */
  static void register(Vertx vertx, Metrics metrics) {
    if (!metrics.enabled()) {
      return;
    }
    StatusGauges gauges = new StatusGauges(vertx, metrics.registry());
    metrics.beforeScrape(gauges::refresh);
  }

  private void gauge(MeterRegistry registry, String name, String description) {
    Gauge.builder(name, values, v -> v.getOrDefault(name, 0.0)).description(description).register(registry);
  }

  private Future<?> refresh() {
    Future<JsonObject> ring = ask(LogAddresses.RING_STATUS).onSuccess(r -> {
      put(MeterNames.LOG_HOLDING, Boolean.TRUE.equals(r.getBoolean("holding")) ? 1 : 0);
      put(MeterNames.LOG_QUEUED, r.getNumber("queued"));
    });
    Future<JsonObject> outbox = ask(LogAddresses.OUTBOX_STATUS).onSuccess(o -> {
      put(MeterNames.LOG_LAST_APPLIED, o.getNumber("lastApplied"));
      put(MeterNames.LOG_OUTBOX_BACKLOG, o.getNumber("backlog"));
    });
    Future<JsonObject> replication = ask(ReplicationAddresses.STATUS).onSuccess(r -> {
      put(MeterNames.REPLICATION_BACKLOG, r.getNumber("backlog"));
      put(MeterNames.REPLICATION_UNDER_REPLICATED, r.getNumber("underReplicated"));
      put(MeterNames.REPLICATION_RATE, r.getNumber("copyRateBytesPerSecond"));
      put(MeterNames.REPLICATION_COPIED, r.getNumber("copiedBytes"));
    });
    Future<?> lag = Future.all(ring, outbox).onSuccess(both -> relayLag.register(relayLag(ring.result(), outbox.result()).entrySet().stream()
        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("node", e.getKey()), e.getValue())).toList(), true));
    return Future.join(lag, replication);
  }

  /**
   * Per other live member: events this node committed that the member has not acknowledged to this
   * node's relay. The relay records what each member acknowledged of this node's own events, and
   * this node's entry is the last event it committed (not what it applied from others since).
   */
  static Map<String, Long> relayLag(JsonObject ring, JsonObject outbox) {
    String self = ring.getString("node");
    JsonObject appliedBy = outbox.getJsonObject("appliedBy", new JsonObject());
    long committed = appliedBy.getLong(self, 0L);
    return ring.getJsonArray("members", new io.vertx.core.json.JsonArray()).stream()
        .map(Object::toString)
        .filter(node -> !node.equals(self))
        .collect(java.util.stream.Collectors.toMap(node -> node, node -> Math.max(0, committed - appliedBy.getLong(node, 0L))));
  }

  private Future<JsonObject> ask(String address) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject(), ASK).map(reply -> reply.body());
  }

  private void put(String name, Number value) {
    if (value != null) {
      values.put(name, value.doubleValue());
    }
  }
}
