package io.dspot.log;

/**
 * The ring epoch this node promised to follow, shared by the ring (which promises) and the outbox
 * (which refuses events of a superseded epoch that would run past where the new epoch begins).
 * Epochs compare by counter, then by the node that created them.
 */
final class EpochFence {

  private long epoch;
  private String owner = "";
  /** Old-epoch events up to this sequence number are still history; beyond it they are fenced off. */
  private long oldEpochLimit = Long.MAX_VALUE;

  synchronized void load(long epoch, String owner) {
    this.epoch = epoch;
    this.owner = owner;
  }

  synchronized long epoch() {
    return epoch;
  }

  synchronized String owner() {
    return owner;
  }

  static int compare(long e1, String o1, long e2, String o2) {
    int c = Long.compare(e1, e2);
    return c != 0 ? c : o1.compareTo(o2);
  }

  /** Promises a newer epoch; old-epoch events past {@code lastApplied} are refused from now on. */
  synchronized boolean promise(long newEpoch, String newOwner, long lastApplied) {
    if (compare(newEpoch, newOwner, epoch, owner) <= 0) {
      return false;
    }
    epoch = newEpoch;
    owner = newOwner;
    oldEpochLimit = lastApplied;
    return true;
  }

  /** The new epoch announced its first sequence number: older events before it are still history. */
  synchronized void started(long startedEpoch, String startedOwner, long firstSeq) {
    if (compare(startedEpoch, startedOwner, epoch, owner) >= 0) {
      epoch = startedEpoch;
      owner = startedOwner;
      oldEpochLimit = firstSeq - 1;
    }
  }

  /**
   * A token of the followed epoch is at {@code nextSeq}: numbers from there on belong to this epoch
   * or a later one, so an older epoch's event there was never acknowledged (a fresh or restarted
   * node, which admits all history, learns this from the token).
   */
  synchronized void tokenAt(long nextSeq) {
    oldEpochLimit = Math.min(oldEpochLimit, nextSeq - 1);
  }

  /** May an event (pushed by a relay) of this epoch at this position be applied here? */
  synchronized boolean admits(long eventEpoch, String eventOwner, long seq) {
    return compare(eventEpoch, eventOwner, epoch, owner) >= 0 || seq <= oldEpochLimit;
  }
}
