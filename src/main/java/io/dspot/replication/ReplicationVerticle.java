package io.dspot.replication;

import io.dspot.bus.BusService;
import io.dspot.bus.ServiceException;
import io.dspot.cluster.LiveNodes;
import io.dspot.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The replication module's front door: answers where a blob lives (the location index, filtered
 * to live members) for streaming and the cluster view.
 */
public final class ReplicationVerticle extends VerticleBase {

  static final String HOLDERS_OF = "SELECT node_id FROM song_locations WHERE sha256 = $1 ORDER BY node_id";

  private final String nodeId;
  private final NodeConfig.Replication config;
  private final Pool pool;
  private final LiveNodes nodes;
  private BusService bus;

  public ReplicationVerticle(String nodeId, NodeConfig.Replication config, Pool pool, LiveNodes nodes) {
    this.nodeId = nodeId;
    this.config = config;
    this.pool = pool;
    this.nodes = nodes;
  }

  @Override
  public Future<?> start() {
    bus = new BusService(vertx).on(ReplicationAddresses.HOLDERS, this::holders);
    return bus.ready();
  }

  @Override
  public Future<?> stop() {
    return bus.close();
  }

  private Future<JsonObject> holders(JsonObject request) {
    String sha = request.getString("sha256");
    if (sha == null || !sha.matches("[0-9a-f]{64}")) {
      return Future.failedFuture(ServiceException.badRequest("sha256 must be 64 lowercase hex digits"));
    }
    return pool.preparedQuery(HOLDERS_OF).execute(Tuple.of(sha)).map(rows -> {
      Set<String> live = nodes.nodeIds();
      List<String> holders = new ArrayList<>();
      for (Row r : rows) {
        String holder = r.getString(0);
        if (live.contains(holder)) {
          holders.add(holder);
        }
      }
      if (holders.remove(nodeId)) {
        holders.add(0, nodeId);
      }
      return new JsonObject().put("holders", new JsonArray(holders));
    });
  }
}
