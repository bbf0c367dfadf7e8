package io.dspot.web;

import io.dspot.http.ApiReplies;

import io.dspot.ha.HaAddresses;
import io.dspot.log.LogAddresses;
import io.dspot.replication.ReplicationAddresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** GET /api/cluster (admin): every live node's ring, log and replication state, as this node can see it. */
final class ClusterRoutes {

  /** Short: for ~0.5 s after a kill -9 the dead node's consumers swallow requests until Hazelcast drops it. */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(500);

  void mount(Router router) {
    router.get("/api/cluster").handler(Authentication.adminOnly()).handler(this::view);
  }

  private void view(RoutingContext ctx) {
    EventBus bus = ctx.vertx().eventBus();
    bus.<JsonObject>request(LogAddresses.RING_STATUS, new JsonObject(), ASK).onComplete(local -> {
      if (local.failed()) {
        ApiReplies.failure(ctx, local.cause());
        return;
      }
      JsonObject self = local.result().body();
      List<String> members = self.getJsonArray("members").stream().map(String::valueOf).toList();
      List<Future<JsonObject>> nodes = new ArrayList<>();
      for (String member : members) {
        Future<JsonObject> ring = bus.<JsonObject>request(LogAddresses.ringStatusOf(member), new JsonObject(), ASK).map(Message::body);
        Future<JsonObject> log = bus.<JsonObject>request(LogAddresses.outboxStatusOf(member), new JsonObject(), ASK).map(Message::body);
        Future<JsonObject> replication = bus.<JsonObject>request(ReplicationAddresses.statusOf(member), new JsonObject(), ASK)
            .map(Message::body);
        nodes.add(Future.join(ring, log, replication).transform(done -> Future.succeededFuture(new JsonObject()
            .put("nodeId", member)
            .put("reachable", ring.succeeded() && log.succeeded())
            .put("holdsToken", ring.succeeded() && ring.result().getBoolean("holding", false))
            .put("epoch", ring.succeeded() ? ring.result().getLong("epoch") : null)
            .put("epochOwner", ring.succeeded() ? ring.result().getString("epochOwner") : null)
            .put("regenerations", ring.succeeded() ? ring.result().getInteger("regenerations") : null)
            .put("queued", ring.succeeded() ? ring.result().getInteger("queued") : null)
            .put("lastApplied", log.succeeded() ? log.result().getLong("lastApplied") : null)
            .put("backlog", log.succeeded() ? log.result().getLong("backlog") : null)
            .put("parked", log.succeeded() ? log.result().getJsonArray("parked") : new JsonArray())
            .put("replication", replication.succeeded() ? replication.result() : null))));
      }
      Future<JsonObject> ha = bus.<JsonObject>request(HaAddresses.STATUS, new JsonObject(), ASK).map(Message::body);
      Future.join(Future.join(nodes), ha).onComplete(all -> {
        JsonArray list = new JsonArray();
        String holder = null;
        for (Future<JsonObject> n : nodes) {
          list.add(n.result());
          if (n.result().getBoolean("holdsToken")) {
            holder = n.result().getString("nodeId");
          }
        }
        ApiReplies.json(ctx, 200, new JsonObject()
            .put("self", self.getString("node"))
            .put("configuredSize", self.getInteger("configuredSize"))
            .put("majority", self.getBoolean("majority"))
            .put("tokenHolder", holder)
            .put("epoch", self.getLong("epoch"))
            .put("epochOwner", self.getString("epochOwner"))
            .put("members", list)
            .put("ha", ha.succeeded() ? ha.result() : null));
      });
    });
  }
}
