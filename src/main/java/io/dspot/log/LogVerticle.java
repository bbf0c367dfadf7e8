package io.dspot.log;

import io.dspot.cluster.LiveNodes;
import io.dspot.cluster.PeerClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The ordered log (token ring + outbox) as one verticle: the ring decides who commits and in which
 * order, the outbox carries the events to every node and applies theirs here. Both run on this
 * verticle's event loop and call each other directly; this class only wires them.
 */
public final class LogVerticle extends VerticleBase implements OrderedLog {

  private final String nodeId;
  private final int majority;
  private final int configuredSize;
  private final LiveNodes nodes;
  private final PeerClient peers;
  private final EventLog eventLog;
  private final Appliers appliers = new Appliers();
  private Outbox outbox;
  private volatile Ring ring;

  /**
   * @param majority how many of the {@code configuredSize} nodes must hold an event before its write is answered
   */
  public LogVerticle(String nodeId, int majority, int configuredSize, Pool pool, LiveNodes nodes, PeerClient peers) {
    this.nodeId = nodeId;
    this.majority = majority;
    this.configuredSize = configuredSize;
    this.nodes = nodes;
    this.peers = peers;
    this.eventLog = new EventLog(pool, nodeId);
  }

  @Override
  public void registerApplier(String eventType, Applier applier) {
    appliers.register(eventType, applier);
  }

  @Override
  public void onRebuild(RebuildHook hook) {
    eventLog.addRebuildHook(hook);
  }

  @Override
  public Future<JsonObject> submit(OrderedCommand command) {
    if (ring == null) {
      return Future.failedFuture(new io.dspot.bus.ServiceException(503, "the ordered log is not started yet"));
    }
    return ring.submit(command);
  }

  /** Catches up and starts relaying first, so the ring commits on top of the cluster's latest events. */
  @Override
  public Future<?> start() {
    EpochFence fence = new EpochFence();
    EventApplier applier = new EventApplier(vertx, eventLog, appliers, fence);
    outbox = new Outbox(vertx, nodeId, eventLog, applier, fence, nodes, majority, peers);
    Ring starting = new Ring(vertx, context, nodeId, majority, configuredSize, nodes, eventLog,
        new Committer(eventLog, applier, nodeId), fence, outbox);
    return outbox.start().compose(v -> starting.start()).onSuccess(v -> ring = starting);
  }

  @Override
  public Future<?> stop() {
    return Future.join(ring == null ? Future.succeededFuture() : ring.stop(), outbox == null ? Future.succeededFuture() : outbox.stop());
  }
}
