package io.dspot.streaming;

import io.dspot.replication.ReplicationAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The live nodes other than this one that the location index lists as holding a blob: where a relay asks. */
final class BlobHolders {

  // The location index is a local query; a slow answer is a node in trouble, not worth waiting for.
  private static final DeliveryOptions HOLDERS_TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final String selfNodeId;

  BlobHolders(Vertx vertx, String selfNodeId) {
    this.vertx = vertx;
    this.selfNodeId = selfNodeId;
  }

  /**
   * The other live holders, in the index's order; fails with {@link SongUnavailable} ({@code unavailable},
   * which names what is asked for) when there are none or the index does not answer.
   */
  Future<List<String>> others(String sha256, String unavailable) {
    return vertx.eventBus().<JsonObject>request(ReplicationAddresses.HOLDERS, new JsonObject().put("sha256", sha256),
        HOLDERS_TIMEOUT).transform(reply -> {
      if (reply.failed()) {
        return Future.failedFuture(new SongUnavailable(unavailable + " (the location index did not answer: "
            + reply.cause().getMessage() + ")"));
      }
      // This node may be listed yet lack the file (or hold a short one): only the others can help.
      List<String> others = reply.result().body().getJsonArray("holders").stream()
          .map(String.class::cast).filter(holder -> !holder.equals(selfNodeId)).toList();
      return others.isEmpty() ? Future.failedFuture(new SongUnavailable(unavailable)) : Future.succeededFuture(others);
    });
  }
}
