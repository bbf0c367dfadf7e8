package io.dspot.log;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token ring's state machine, without Vert.x or the network: who holds the token, who wants
 * it, whom it goes to next, which epoch this node promised to follow, and when a lost token may be
 * regenerated. {@link Ring} feeds it messages and timers and carries out what it decides.
 *
 * <p>An epoch is persisted before it is acted on: a promise to a regenerating node and a newer
 * fence arriving with the token are saved first, and neither is given or adopted when saving
 * fails, so a node that restarts never forgets what it promised. Saves run one after another, so
 * the stored promise never goes back to an older epoch than the one in memory.
 *
 * <p>Not thread-safe: one event loop drives it.
 */
final class TokenRing {

  private static final Logger log = LoggerFactory.getLogger(TokenRing.class);

  /** Where the promised epoch is kept across restarts, and how far this node's log is applied. */
  interface Storage {
    CompletionStage<Void> savePromise(long epoch, String owner);

    /**
     * Runs {@code promise} with this node's last applied number while no event is being applied,
     * and applies none before it returns: a promise reports exactly what this node holds, and the
     * fence it sets stops every old-epoch event after that number.
     */
    <T> CompletionStage<T> atLastApplied(Function<Long, T> promise);
  }

  /** The answer to a prepare: promised (with this node's last applied number) or refused (with the epoch it follows). */
  record PrepareAnswer(boolean promised, long lastApplied, long epoch, String owner, boolean tokenDropped) {}

  /** A peer's answer to our prepare, as the regenerator counts it. */
  record PromiseReply(boolean promised, long lastApplied) {}

  private final String self;
  private final EpochFence fence;
  private final Storage storage;
  private final Map<String, Long> latestWant = new HashMap<>();
  private CompletionStage<Void> saving = CompletableFuture.completedFuture(null);
  private Token token;
  private long wantCounter;
  private boolean regenerating;
  /** Promises of a newer epoch being persisted: no commit with the token meanwhile. */
  private int promising;

  TokenRing(String self, EpochFence fence, Storage storage) {
    // Others remember this node's wants by number, across its restarts: a restarted node starting
    // again at 1 would look served forever to every holder, which then keeps sending the token
    // back to it for its old want. Numbers seeded from the clock keep growing across restarts.
    this(self, fence, storage, System.currentTimeMillis() * 1_000);
  }

  TokenRing(String self, EpochFence fence, Storage storage, long firstWant) {
    this.self = self;
    this.fence = fence;
    this.storage = storage;
    this.wantCounter = firstWant;
  }

  boolean holding() {
    return token != null;
  }

  /** Holding the token, and no newer epoch is being promised (which would supersede it). */
  boolean mayCommit() {
    return token != null && promising == 0;
  }

  Token token() {
    return token;
  }

  EpochFence fence() {
    return fence;
  }

  Map<String, Long> wants() {
    return Map.copyOf(latestWant);
  }

  // ---- wants and hand-off ----

  /** This node wants the token (once more); returns the number of this want. */
  long want() {
    wantCounter++;
    latestWant.put(self, wantCounter);
    return wantCounter;
  }

  /** Another node announced its n-th want; wants only grow. */
  void noteWant(String node, long n) {
    if (node != null && !node.equals(self)) {
      latestWant.merge(node, n, Math::max);
    }
  }

  /** Everything this node asked for is served: holders need not send the token back for it. */
  void servedSelf() {
    if (token != null) {
      token.served().put(self, wantCounter);
    }
  }

  /** Moves the held token past the events just committed. */
  void advance(long nextSeq) {
    if (token != null) {
      token = token.withNextSeq(nextSeq);
    }
  }

  /** Does a live node other than this one wait for the token? */
  boolean othersWaiting(Collection<String> live) {
    return token != null && live.stream().anyMatch(n -> !n.equals(self) && wants(n));
  }

  /** The next node after this one in ring order that wants the token; null: nobody, keep it. */
  String nextWanter(List<String> ring) {
    if (token == null) {
      return null;
    }
    int at = ring.indexOf(self);
    for (int i = 1; i < ring.size(); i++) {
      String candidate = ring.get(Math.floorMod(at + i, ring.size()));
      if (wants(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private boolean wants(String node) {
    return latestWant.getOrDefault(node, 0L) > token.servedFor(node);
  }

  /**
   * A peer follows {@code epoch}: if the held token is of an older one, that epoch was superseded
   * while this node could not hear it (a partition), and nothing it commits with it can reach a
   * majority. Drops it; returns whether it did.
   */
  boolean dropIfOlderThan(long epoch, String owner) {
    if (token == null || EpochFence.compare(token.epoch(), token.owner(), epoch, owner) >= 0) {
      return false;
    }
    token = null;
    return true;
  }

  /** Lets go of the token to send it on; the returned copy names this node as the sender. */
  Token handOff() {
    Token passing = token.sentBy(self);
    token = null;
    return passing;
  }

  /** Nobody received the token we sent to {@code gone}: it is ours again, and that node's want is forgotten. */
  void handOffUndelivered(Token passing, String gone) {
    latestWant.put(gone, passing.servedFor(gone));
    token = passing;
  }

  /**
   * The token arrived. Completes false for a stale epoch (refused, nothing changes); a newer epoch
   * is persisted first, and the stage fails (token not taken) when that does not work.
   */
  CompletionStage<Boolean> receive(Token received) {
    int vsFence = EpochFence.compare(received.epoch(), received.owner(), fence.epoch(), fence.owner());
    if (vsFence < 0) {
      return CompletableFuture.completedFuture(false);
    }
    if (vsFence == 0) {
      take(received);
      return CompletableFuture.completedFuture(true);
    }
    return persist(received.epoch(), received.owner()).thenApply(saved -> {
      if (EpochFence.compare(received.epoch(), received.owner(), fence.epoch(), fence.owner()) < 0) {
        return false; // a newer epoch was promised while saving
      }
      fence.load(received.epoch(), received.owner());
      take(received);
      return true;
    });
  }

  private void take(Token received) {
    fence.tokenAt(received.firstSeq(), received.nextSeq());
    token = received;
  }

  // ---- losing and regenerating the token ----

  /**
   * Another node prepares a newer epoch: promise to refuse older ones, persisted before it is
   * given. Refused when the epoch is not newer, or when the promise could not be saved.
   */
  CompletionStage<PrepareAnswer> prepare(long epoch, String owner) {
    if (EpochFence.compare(epoch, owner, fence.epoch(), fence.owner()) <= 0) {
      return CompletableFuture.completedFuture(refusal());
    }
    promising++;
    return persist(epoch, owner)
        .thenCompose(saved -> storage.atLastApplied(last -> fence.promise(epoch, owner, last) ? last : null))
        .thenApply(last -> {
          if (last == null) {
            return refusal();
          }
          boolean dropped = token != null;
          token = null;
          return new PrepareAnswer(true, last, epoch, owner, dropped);
        })
        .exceptionally(failure -> {
          log.warn("not promising epoch {}/{}: could not persist the promise ({})", epoch, owner, failure.getMessage());
          return refusal();
        })
        .whenComplete((answer, failure) -> promising--);
  }

  private PrepareAnswer refusal() {
    return new PrepareAnswer(false, 0, fence.epoch(), fence.owner(), false);
  }

  /** Coordinator: may a regeneration start now? Marks it running when it may. */
  boolean beginRegeneration() {
    if (regenerating || token != null) {
      return false;
    }
    regenerating = true;
    return true;
  }

  void endRegeneration() {
    regenerating = false;
  }

  /** The epoch a regeneration proposes: above every epoch seen. */
  long nextEpoch(long highestSeen) {
    return Math.max(highestSeen, fence.epoch()) + 1;
  }

  /** The regenerator promises its own epoch first (persisted); completes with its last applied number, fails if refused. */
  CompletionStage<Long> promiseSelf(long epoch) {
    return prepare(epoch, self).thenApply(answer -> {
      if (!answer.promised()) {
        throw new IllegalStateException("could not promise epoch " + epoch + " (this node follows " + answer.epoch() + "/" + answer.owner() + ")");
      }
      return answer.lastApplied();
    });
  }

  /**
   * Counts the promises: with a majority (this node included) the token is regenerated under
   * {@code epoch}, starting after the highest sequence number any promiser applied. Returns the
   * new token, or null (and nothing changes) without a majority.
   */
  Token regenerate(long epoch, long selfLast, List<PromiseReply> replies, int majority) {
    List<PromiseReply> yes = replies.stream().filter(PromiseReply::promised).toList();
    if (yes.size() + 1 < majority || token != null) {
      return null;
    }
    long highestApplied = Math.max(selfLast, yes.stream().mapToLong(PromiseReply::lastApplied).max().orElse(0));
    long first = highestApplied + 1;
    fence.started(epoch, self, first);
    token = new Token(epoch, self, first, first, new HashMap<>(), self);
    return token;
  }

  private CompletionStage<Void> persist(long epoch, String owner) {
    CompletionStage<Void> next = saving.exceptionally(ignored -> null).thenCompose(v -> storage.savePromise(epoch, owner));
    saving = next;
    return next;
  }
}
