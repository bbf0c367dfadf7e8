package io.dspot.log;

/** The ring's cluster-wide messages (JSON bodies); per-node addresses end with the node id. */
final class RingMessages {
  private RingMessages() {}

  /** Published: {node, n, waitingMs} — node wants the token for its n-th time. */
  static final String WANT = "ring.want";
  /** Published: {epoch, owner, firstSeq} — a regenerated token's epoch begins at firstSeq. */
  static final String STARTED = "ring.started";

  /** The token itself: {epoch, owner, nextSeq, served}. */
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
}
