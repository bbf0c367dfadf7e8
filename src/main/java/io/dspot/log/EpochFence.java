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

  /**
   * Follows this epoch from now on (read back after a restart, or a newer epoch's token arrived
   * without this node's promise). Where an epoch other than the one followed so far began is not
   * known here: the limit a promise of an older epoch left would refuse that epoch's own events as
   * if they came after the new one, so all history is admitted until a token says where it began.
   */
  synchronized void load(long epoch, String owner) {
    if (epoch != this.epoch || !owner.equals(this.owner)) {
      oldEpochLimit = Long.MAX_VALUE;
    }
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
   * A token of the followed epoch, which began at {@code firstSeq}, is at {@code nextSeq}. Numbers
   * from {@code firstSeq} on are this epoch's, so an older epoch's event there was never
   * acknowledged, and one before it is history even when this node promised at a lower number (it
   * was behind, or it is catching up again after a rebuild). A token that does not say where its
   * epoch began (0) only bounds it: numbers from {@code nextSeq} on are surely not history.
   */
  synchronized void tokenAt(long firstSeq, long nextSeq) {
    oldEpochLimit = firstSeq > 0 && firstSeq <= nextSeq ? firstSeq - 1 : Math.min(oldEpochLimit, nextSeq - 1);
  }

  /** May an event (pushed by a relay) of this epoch at this position be applied here? */
  synchronized boolean admits(long eventEpoch, String eventOwner, long seq) {
    return compare(eventEpoch, eventOwner, epoch, owner) >= 0 || seq <= oldEpochLimit;
  }
}
