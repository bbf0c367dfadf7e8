package io.dspot.log;

/** The log's cluster-wide messages between nodes (JSON bodies); per-node addresses end with the node id. */
final class LogMessages {
  private LogMessages() {}

  /** Published: {node, n, waitingMs} — node wants the token for its n-th time. */
  static final String WANT = "ring.want";
  /** Published: {epoch, owner, firstSeq} — a regenerated token's epoch begins at firstSeq. */
  static final String STARTED = "ring.started";

  /** The token itself: {epoch, owner, nextSeq, served, from, events}. */
  static String tokenFor(String nodeId) {
    return "ring.token." + nodeId;
  }

  /** {epoch, owner} → {promised, lastApplied}: promise to refuse older epochs. */
  static String prepareFor(String nodeId) {
    return "ring.prepare." + nodeId;
  }

  /** {} → {holding, epoch, owner}. */
  static String probeFor(String nodeId) {
    return "ring.probe." + nodeId;
  }

  /** Sent by the next holder once it applied the events that came with the token: {node, lastApplied}. */
  static String appliedAckTo(String nodeId) {
    return "outbox.ack." + nodeId;
  }

  /** A relay's batch {from, events: [...]} → {lastApplied}, or failure 409 when fenced. */
  static String deliverTo(String nodeId) {
    return "outbox.deliver." + nodeId;
  }
}
