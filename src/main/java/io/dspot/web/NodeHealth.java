package io.dspot.web;

import io.dspot.cluster.ClusterAddresses;
import io.dspot.http.ApiReplies;
import io.dspot.storage.DiskUsage;
import io.dspot.storage.StorageAddresses;
import io.dspot.storage.StorageStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.Supplier;

/**
 * The node's health procedures, kept in vertx-health-check's {@link HealthChecks}: {@code node}
 * (the process answers), {@code cluster} (this node sees a majority of the configured members
 * and nobody is configured differently) and {@code database} (this node's PostgreSQL answers).
 *
 * <p>The internal {@code /internal/health} is vertx-web's {@link HealthCheckHandler} over the
 * {@code node} procedure. The public {@code /api/health} renders the {@code cluster} procedure in
 * the documented form instead (always 200, {@code "DEGRADED"} with a reason): a starting member of
 * a 3-node cluster has no majority yet, and a 503 there would make scripts and container health
 * checks that wait for the node to answer wait forever.
 */
final class NodeHealth {

  static final String NODE = "node";
  static final String CLUSTER = "cluster";
  static final String DATABASE = "database";
  /** Said to everyone: nobody can log in on a node without its database, so the admin's view is out of reach there. */
  static final String DATABASE_DOWN = "this node's database does not answer";
  private static final long PROCEDURE_TIMEOUT_MILLIS = 2_000;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(PROCEDURE_TIMEOUT_MILLIS);

  private final Vertx vertx;
  private final String nodeId;
  private final HealthChecks cluster;

  /** @param databaseCheck succeeds while this node's database answers */
  NodeHealth(Vertx vertx, String nodeId, Supplier<Future<?>> databaseCheck) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.cluster = HealthChecks.create(vertx)
        .register(CLUSTER, PROCEDURE_TIMEOUT_MILLIS, promise -> vertx.eventBus()
            .<JsonObject>request(ClusterAddresses.MEMBERS, new JsonObject(), ASK)
            .onSuccess(reply -> promise.tryComplete(new Status().setData(reply.body())
                .setOk("UP".equals(reply.body().getString("status")))))
            // The procedure's own timeout may have completed it already.
            .onFailure(promise::tryFail))
        .register(DATABASE, PROCEDURE_TIMEOUT_MILLIS, promise -> databaseCheck.get()
            .onSuccess(ok -> promise.tryComplete(Status.OK()))
            .onFailure(promise::tryFail));
  }

  /** {@code /internal/health} for peers and operators on the internal network: the process answers. */
  static HealthCheckHandler internalHandler(Vertx vertx, String nodeId) {
    return HealthCheckHandler.createWithHealthChecks(HealthChecks.create(vertx)
        .register(NODE, promise -> promise.complete(Status.OK(new JsonObject().put("nodeId", nodeId)))));
  }

  /**
   * {@code GET /api/health}: always 200; the cluster procedure's outcome in the documented form,
   * and the blob store's disk ({@code disk}): below its reserve the node is DEGRADED (it takes no
   * uploads and no replicas, and keeps streaming). Only an admin sees more than the status: node
   * names, member counts and mismatches map the cluster for an attacker. A node whose own database
   * does not answer is DEGRADED (it commits nothing, and hands the VIP over) and says why to
   * everyone, since no admin can log in there.
   */
  void publicHealth(RoutingContext ctx) {
    Future<CheckResult> clusterCheck = cluster.checkStatus(CLUSTER);
    Future<CheckResult> databaseCheck = cluster.checkStatus(DATABASE);
    Future<DiskUsage> disk = vertx.eventBus().<JsonObject>request(StorageAddresses.STATUS, new JsonObject(), ASK)
        .map(reply -> StorageStatus.fromJson(reply.body()).disk());
    Future.join(clusterCheck, databaseCheck, disk).onComplete(all -> {
      JsonObject health = clusterHealth(clusterCheck);
      if (!CheckResult.isUp(databaseCheck)) {
        Throwable failure = databaseCheck.succeeded() ? databaseCheck.result().getFailure() : databaseCheck.cause();
        String clusterReason = health.getString("reason");
        health.put("status", "DEGRADED").put("reason", DATABASE_DOWN + (clusterReason == null ? "" : "; " + clusterReason))
            .put(DATABASE, new JsonObject().put("error", failure == null ? "no answer" : String.valueOf(failure.getMessage())));
        if (!Authentication.isAdmin(ctx)) {
          ApiReplies.json(ctx, 200, new JsonObject().put("status", "DEGRADED").put("reason", DATABASE_DOWN));
          return;
        }
      }
      if (disk.succeeded()) {
        health.put("disk", disk.result().toJson());
        if (disk.result().full()) {
          String clusterReason = health.getString("reason");
          health.put("status", "DEGRADED")
              .put("reason", clusterReason == null ? disk.result().describe() : disk.result().describe() + "; " + clusterReason);
        }
      }
      ApiReplies.json(ctx, 200, Authentication.isAdmin(ctx) ? health : new JsonObject().put("status", health.getString("status")));
    });
  }

  private JsonObject clusterHealth(Future<CheckResult> done) {
    JsonObject health = new JsonObject().put("node", nodeId);
    JsonObject view = done.succeeded() ? done.result().getData() : null;
    if (view == null || view.getString("status") == null) {
      String cause = done.succeeded() && done.result().getFailure() != null ? done.result().getFailure().getMessage()
          : done.failed() ? done.cause().getMessage() : "no answer";
      return health.put("status", "DEGRADED").put("reason", "cluster view unavailable: " + cause);
    }
    health.put("status", view.getString("status"));
    if (view.getBoolean("insecure", false)) {
      health.put("insecure", true).put("warning", "cluster.insecure is set: the event bus and the internal API run without TLS "
          + "or peer authentication");
    }
    if (view.getString("reason") != null) {
      health.put("reason", view.getString("reason"));
    }
    return health.put("cluster", new JsonObject()
        .put("members", view.getInteger("counted"))
        .put("configuredSize", view.getInteger("configuredSize"))
        .put("majority", view.getBoolean("majority"))
        .put("mismatches", view.getJsonArray("mismatches")));
  }
}
