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
    return Future.join(
        ask(LogAddresses.RING_STATUS).onSuccess(ring -> {
          put(MeterNames.LOG_HOLDING, Boolean.TRUE.equals(ring.getBoolean("holding")) ? 1 : 0);
          put(MeterNames.LOG_QUEUED, ring.getNumber("queued"));
        }),
        ask(LogAddresses.OUTBOX_STATUS).onSuccess(outbox -> {
          Number last = outbox.getNumber("lastApplied");
          put(MeterNames.LOG_LAST_APPLIED, last);
          put(MeterNames.LOG_OUTBOX_BACKLOG, outbox.getNumber("backlog"));
          JsonObject appliedBy = outbox.getJsonObject("appliedBy", new JsonObject());
          if (last != null) {
            relayLag.register(appliedBy.fieldNames().stream()
                .map(node -> MultiGauge.Row.of(Tags.of("node", node), Math.max(0, last.longValue() - appliedBy.getLong(node))))
                .toList(), true);
          }
        }),
        ask(ReplicationAddresses.STATUS).onSuccess(replication -> {
          put(MeterNames.REPLICATION_BACKLOG, replication.getNumber("backlog"));
          put(MeterNames.REPLICATION_UNDER_REPLICATED, replication.getNumber("underReplicated"));
          put(MeterNames.REPLICATION_RATE, replication.getNumber("copyRateBytesPerSecond"));
          put(MeterNames.REPLICATION_COPIED, replication.getNumber("copiedBytes"));
        }));
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
