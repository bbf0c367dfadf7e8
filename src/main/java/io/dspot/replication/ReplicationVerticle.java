package io.dspot.replication;

import io.dspot.bus.BusService;
import io.dspot.bus.IdleBackoff;
import io.dspot.bus.ListenerActivity;
import io.dspot.bus.YieldingBandwidth;
import io.dspot.bus.RateLimitedWarning;
import io.dspot.bus.ServiceException;
import io.dspot.catalog.CatalogAddresses;
import io.dspot.cluster.LiveNodes;
import io.dspot.cluster.PeerClient;
import io.dspot.config.NodeConfig;
import io.dspot.log.LogAddresses;
import io.dspot.log.OrderedLog;
import io.dspot.storage.BlobStore;
import io.dspot.storage.DiskUsage;
import io.dspot.storage.StorageAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication module's front door. Wires the reconcile loop (on a song added, a replica
 * recorded or dropped, a membership change; every 2 s while work is open, every 30 s once settled):
 * read the location index and this node's files, plan ({@link ReconcilePlan}), then record, copy
 * ({@link BlobCopier}) and drop.
 * Answers where a blob lives, this node's replication status, and the quorum wait of uploads.
 */
public final class ReplicationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ReplicationVerticle.class);
  /** A pass repeats every 2 s while work is open: a failure that lasts (no majority, say) is heard once a minute. */
  private final RateLimitedWarning warning = new RateLimitedWarning(log, java.time.Duration.ofMinutes(1));
  private static final long RECONCILE_EVERY_MILLIS = 2_000;
  /**
   * With nothing left to do a pass only looks for what no event announces (a file removed by
   * hand; the scrub finds those too): reading the whole index and stat-ing every blob every 2 s was
   * most of an idle node's CPU at 10,000 songs, and every 30 s still a third of it (each pass makes
   * ~40 MB of garbage at 10,000 songs). So settled passes back off from 30 s to 15 min.
   */
  private static final long SETTLED_SHORTEST_MILLIS = 30_000;
  private static final long SETTLED_LONGEST_MILLIS = 15 * 60_000;
  private static final long SOON_MILLIS = 100;
  /** How long a lone node's pass for added songs waits, gathering the additions in that time (see {@link #songsAdded}). */
  static final long LONE_ADDITIONS_MILLIS = 10_000;
  /**
   * A pass reads the whole index and stats every blob, so its cost grows with the catalog; during
   * an import every committed batch asks for one, and at 10,000 songs back-to-back passes took over
   * a quarter of the node's CPU (bench/import.md). So a triggered pass starts no sooner than this
   * many times the last pass's duration after it ended: passes take at most a quarter of the time.
   * A small catalog's pass takes a few ms, so its passes still start after {@link #SOON_MILLIS};
   * never later than {@link #RECONCILE_EVERY_MILLIS}, the pace while work is open anyway.
   */
  private static final int PASS_SPACING = 3;
  /** A pass at least this long is logged. */
  private static final long SLOW_PASS_MILLIS = 500;
  private static final long AWAIT_POLL_MILLIS = 100;
  /**
   * A copy that finishes while others of its pass are still running waits at most this long for
   * them, so a pass's copies go in one record: without it the number of ring writes depended on how
   * fast a commit came back against how fast copies finished (ClusterImportTest saw 48 records for
   * 82 copies once commits got faster). A copy with none running beside it is recorded at once.
   */
  private static final long GATHER_MILLIS = 200;
  private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final long AWAIT_DEFAULT_TIMEOUT_MILLIS = 20_000;
  /** A holder that sends nothing for this long is given up on (the copy resumes from the next one). */
  private static final long STALL_MILLIS = 5_000;

  private final String nodeId;
  private final NodeConfig.Replication config;
  private final IdleBackoff settledBackoff = new IdleBackoff(SETTLED_SHORTEST_MILLIS, SETTLED_LONGEST_MILLIS);
  /** The blob store's disk as measured by the last reconcile pass; null before the first. */
  private DiskUsage disk;
  private final int clusterSize;
  private final Pool pool;
  private final LiveNodes nodes;
  private final PeerClient peers;
  private final BlobStore blobs;
  private final ListenerActivity listeners;
  private final LocationIndex index;
  private final PlacementMembers members;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** Blobs with a record or drop on its way through the log: the next pass leaves them alone. */
  private final Set<String> submitting = new java.util.HashSet<>();
  /** Copies held here and not yet recorded, in the order they were made; {@code recording}: a record is on its way. */
  private final Set<String> unrecorded = new java.util.LinkedHashSet<>();
  private boolean recording;
  private long gathering = -1;
  private BusService bus;
  private BlobCopier copier;
  /** What the last whole pass found (status, and whether work is open). */
  private ReconcilePass.Totals last = ReconcilePass.Totals.NONE;
  private boolean reconciling;
  private boolean again;
  private long soon = -1;
  /** Whether {@link #soon} is a lone node's pass for added songs, which any other trigger brings forward. */
  private boolean lazy;
  private long lastPassMillis;
  private long periodic = -1;
  private boolean stopped;

  /** Registers the location index's events with the log: build it before the log starts. */
  public ReplicationVerticle(String nodeId, NodeConfig.Replication config, int clusterSize, Pool pool, LiveNodes nodes,
      OrderedLog orderedLog, PeerClient peers, BlobStore blobs, ListenerActivity listeners) {
    this.listeners = listeners;
    this.nodeId = nodeId;
    this.config = config;
    this.clusterSize = clusterSize;
    this.pool = pool;
    this.nodes = nodes;
    this.peers = peers;
    this.blobs = blobs;
    this.index = new LocationIndex(pool, orderedLog);
    this.members = new PlacementMembers(config.graceSeconds() * 1000L);
    LocationIndex.register(orderedLog);
  }

  @Override
  public Future<?> start() {
    copier = new BlobCopier(vertx, blobs, peers, config.maxConcurrentCopies(),
        new YieldingBandwidth(listeners, config.maxBytesPerSecond(), config.maxBytesPerSecondWhileStreaming(), System.nanoTime()),
        STALL_MILLIS, this::copied);
    members.observe(nodes.nodeIds(), System.currentTimeMillis());
    bus = new BusService(vertx)
        .on(ReplicationAddresses.HOLDERS, this::holders)
        .on(ReplicationAddresses.STATUS, b -> Future.succeededFuture(status()))
        .on(ReplicationAddresses.AWAIT, this::awaitCopies)
        .on(ReplicationAddresses.AWAIT_ALL, this::awaitAllCopies);
    // A blob the scrub or a size check found short or corrupt is fetched again at once.
    for (String address : List.of(CatalogAddresses.SONG_ADDED, CatalogAddresses.SONGS_ADDED)) {
      consumers.add(vertx.eventBus().localConsumer(address, m -> songsAdded()));
    }
    for (String address : List.of(StorageAddresses.BLOB_LOST, LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICA_ADDED,
        LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICAS_ADDED,
        LogAddresses.APPLIED_PREFIX + ReplicationAddresses.REPLICA_DROPPED)) {
      consumers.add(vertx.eventBus().localConsumer(address, m -> reconcileSoon()));
    }
    consumers.add(vertx.eventBus().localConsumer(LiveNodes.CHANGED, m -> {
      members.observe(nodes.nodeIds(), System.currentTimeMillis());
      reconcileSoon();
      // A node that left counts for placement until its grace period ends: look again right then,
      // not at the next periodic pass, so repair starts as soon as it may.
      vertx.setTimer(config.graceSeconds() * 1_000L + 50, t -> reconcileSoon());
    }));
    consumers.add(vertx.eventBus().<JsonObject>consumer(ReplicationAddresses.statusOf(nodeId), m -> m.reply(status())));
    reconcileSoon();
    return Future.all(bus.ready(), Future.all(consumers.stream().map(MessageConsumer::completion).toList()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(periodic);
    vertx.cancelTimer(gathering);
    if (soon >= 0) {
      vertx.cancelTimer(soon);
    }
    return Future.all(bus.close(), Future.all(consumers.stream().map(MessageConsumer::unregister).toList()));
  }

  /** Copies per blob for the placement: 0 = every member. */
  private int factor() {
    return config.factor() == NodeConfig.Replication.ALL ? 0 : config.effectiveFactor(clusterSize);
  }

  private void reconcileSoon() {
    if (soon >= 0 && lazy) {
      vertx.cancelTimer(soon);
      soon = -1;
    }
    if (soon < 0) {
      passIn(triggeredPassDelay(lastPassMillis), false);
    }
  }

  /** The next pass, in {@code millis}; {@code gathering}: a lone node's pass for added songs. */
  private void passIn(long millis, boolean gathering) {
    lazy = gathering;
    soon = vertx.setTimer(millis, t -> {
      soon = -1;
      lazy = false;
      reconcile();
    });
  }

  /**
   * Songs were added (a batch of an import, an upload). With a peer live, a pass may have copies
   * to start, so it comes soon. With none, it cannot: nothing can be fetched without a live source
   * and nothing dropped without every placed holder live, so it would only count; during a
   * 100,000-song import on a lone node a pass every ~2 s over the growing index had been a third of
   * the node's work (bench/footprint.md, round 6). So those passes wait {@link #LONE_ADDITIONS_MILLIS},
   * and the additions in that time share one pass; any other trigger still comes soon.
   */
  private void songsAdded() {
    if (peerLive()) {
      reconcileSoon();
    } else if (soon < 0) {
      passIn(LONE_ADDITIONS_MILLIS, true);
    }
  }

  private boolean peerLive() {
    return nodes.nodeIds().stream().anyMatch(node -> !node.equals(nodeId));
  }

  /** How long after a trigger the next pass starts, given how long the last successful one took. */
  static long triggeredPassDelay(long lastPassMillis) {
    return Math.min(RECONCILE_EVERY_MILLIS, Math.max(SOON_MILLIS, PASS_SPACING * lastPassMillis));
  }

  /** One pass at a time; a trigger during a pass runs another right after it (spaced, see {@link #triggeredPassDelay}). */
  private void reconcile() {
    if (reconciling) {
      again = true;
      return;
    }
    reconciling = true;
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    members.observe(nodes.nodeIds(), now);
    Set<String> placementMembers = members.members(now);
    Set<String> live = members.live();
    int factor = factor();
    // Sizes and plans are worked out on a worker, a page at a time (ReconcilePass).
    ReconcilePass pass = new ReconcilePass(vertx, index::page, ReconcilePass.PAGE_BLOBS,
        page -> ReconcilePlan.of(nodeId, page, localSizes(page.keySet()), placementMembers, live, factor), this::act);
    vertx.executeBlocking(blobs::diskUsage)
        .compose(measured -> {
          disk = measured;
          return pass.run();
        })
        .onComplete(done -> {
          if (done.failed()) {
            warning.warnFor("reconcile", "replication reconcile failed: {}", done.cause().getMessage());
          } else {
            last = done.result();
            long took = (System.nanoTime() - started) / 1_000_000;
            // A pass's cost grows with the library: an operator sees when it becomes long.
            if (took >= SLOW_PASS_MILLIS) {
              log.info("reconcile pass over {} page(s) of the location index took {} ms", last.pages(), took);
            }
          }
          reconciling = false;
          // A failed pass (the database away, a timeout) says nothing about what the next one costs.
          lastPassMillis = done.succeeded() ? (System.nanoTime() - started) / 1_000_000 : 0;
          if (again) {
            again = false;
            reconcileSoon();
          }
          scheduleNextPass(done.succeeded() && settled());
        });
  }

  /** The next pass without a trigger: soon while copies, records or drops are open, rarely once settled. */
  private void scheduleNextPass(boolean settled) {
    if (stopped) {
      return;
    }
    vertx.cancelTimer(periodic);
    periodic = vertx.setTimer(settled ? settledBackoff.next(false) : RECONCILE_EVERY_MILLIS, t -> reconcileSoon());
    if (!settled) {
      settledBackoff.reset();
    }
  }

  private boolean settled() {
    return last.nothingToDo() && submitting.isEmpty() && copier.backlog() == 0;
  }

  private Map<String, Long> localSizes(Set<String> shas) throws java.io.IOException {
    Map<String, Long> sizes = new HashMap<>();
    for (String sha : shas) {
      BasicFileAttributes found;
      try {
        found = Files.readAttributes(blobs.pathFor(sha), BasicFileAttributes.class); // one stat, not two
      } catch (NoSuchFileException e) {
        continue;
      }
      if (found.isRegularFile()) {
        sizes.put(sha, found.size());
      }
    }
    return sizes;
  }

  /**
   * Starts what a page's plan says; records and drops wait for the token on their own, the next
   * page and pass do not wait for them. A node whose disk is below its reserve (measured at the
   * pass's start) takes no replicas (it keeps serving and dropping); the songs it should hold stay
   * under their factor until space returns.
   */
  private void act(ReconcilePlan plan) {
    if (!config.enabled()) {
      return;
    }
    if (disk.full()) {
      if (!plan.fetches().isEmpty()) {
        warning.warnFor("disk-full", "disk below its reserve: not taking {} replica(s) until there is space", plan.fetches().size());
      }
    } else {
      plan.fetches().forEach(copier::request);
    }
    plan.records().forEach(this::record);
    plan.drops().forEach(this::drop);
  }

  private void copied(ReconcilePlan.Fetch fetch, long size) {
    log.info("copied blob {} ({} bytes)", fetch.sha256(), size);
    if (!fetch.listed()) {
      record(fetch.sha256());
    }
  }

  /**
   * The blob is verified on this disk: tell everyone. Copies made while a record is on its way, or
   * while others of the same pass are still being copied, wait and go together in the next one (one
   * ring write for many copies). If its song went meanwhile, the copy goes too.
   */
  private void record(String sha) {
    if (submitting.add(sha)) {
      unrecorded.add(sha);
      recordWaiting();
    }
  }

  private void recordWaiting() {
    if (recording || unrecorded.isEmpty()) {
      return;
    }
    if (copier.backlog() > 0 && unrecorded.size() < LocationIndex.MAX_RECORDED) {
      if (gathering < 0) {
        gathering = vertx.setTimer(GATHER_MILLIS, t -> {
          gathering = -1;
          recordNow();
        });
      }
      return;
    }
    recordNow();
  }

  private void recordNow() {
    vertx.cancelTimer(gathering);
    gathering = -1;
    if (recording || unrecorded.isEmpty()) {
      return;
    }
    List<String> batch = new ArrayList<>();
    for (var it = unrecorded.iterator(); it.hasNext() && batch.size() < LocationIndex.MAX_RECORDED; ) {
      batch.add(it.next());
      it.remove();
    }
    recording = true;
    index.recordReplicas(batch, nodeId)
        .compose(refused -> Future.all(refused.stream().map(this::deleteFile).toList()))
        .onComplete(done -> {
          if (done.failed()) {
            warning.warnFor("record", "could not record {} replica(s): {}", batch.size(), done.cause().getMessage());
          }
          batch.forEach(submitting::remove);
          recording = false;
          recordWaiting();
        });
  }

  /** The index forgets this copy first (checked against the keepers by the token holder), then the file goes. */
  private Future<Void> drop(ReconcilePlan.Drop drop) {
    String sha = drop.sha256();
    return once(sha, () -> {
      Future<Boolean> dropped = drop.listed() ? index.dropReplica(sha, nodeId, drop.keepers(), drop.keepers().size())
          : Future.succeededFuture(true);
      return dropped.compose(yes -> {
        if (!yes) {
          return Future.<Void>succeededFuture();
        }
        log.info("dropping blob {}: held by {}", sha, drop.keepers());
        return deleteFile(sha);
      }).onFailure(e -> warning.warnFor("drop", "could not drop replica of {}: {}", sha, e.getMessage()));
    });
  }

  /** Runs a record or a drop of a blob unless one is already waiting for the token. */
  private Future<Void> once(String sha, java.util.function.Supplier<Future<Void>> step) {
    if (!submitting.add(sha)) {
      return Future.succeededFuture();
    }
    return step.get().onComplete(done -> submitting.remove(sha));
  }

  private Future<Void> deleteFile(String sha) {
    return vertx.executeBlocking(() -> {
      blobs.delete(sha);
      return null;
    });
  }

  private JsonObject status() {
    return new JsonObject()
        .put("node", nodeId)
        .put("blobs", last.blobs())
        .put("bytes", last.bytes())
        .put("underReplicated", last.underReplicated())
        .put("backlog", copier.backlog())
        .put("copies", copier.copies())
        .put("copiedBytes", copier.copiedBytes())
        .put("copyRateBytesPerSecond", copier.bytesPerSecond())
        // Copies yield to this node's listeners: the cluster view says why repair slowed down.
        .put("yieldingToListeners", listeners.busy(System.nanoTime()))
        .put("listenerResponses", listeners.inFlight())
        .put("factor", config.factor() == NodeConfig.Replication.ALL ? "all" : factor())
        .put("enabled", config.enabled())
        .put("disk", disk == null ? null : disk.toJson());
  }

  private Future<JsonObject> holders(JsonObject request) {
    String sha = sha256Of(request);
    return index.holdersOf(sha).map(listed -> {
      Set<String> live = nodes.nodeIds();
      List<String> holders = new ArrayList<>(listed.stream().filter(live::contains).toList());
      if (holders.remove(nodeId)) {
        holders.add(0, nodeId);
      }
      return new JsonObject().put("holders", new JsonArray(holders));
    });
  }

  /**
   * With {@code ack = quorum}: waits until a majority of the blob's placement (over the live
   * members) is listed as holding it. With {@code ack = local}: at once.
   */
  private Future<JsonObject> awaitCopies(JsonObject request) {
    String sha = sha256Of(request);
    if (config.ack() == NodeConfig.Replication.Ack.LOCAL) {
      return Future.succeededFuture(new JsonObject().put("needed", 1));
    }
    List<String> placement = Placement.holdersFor(sha, nodes.nodeIds(), factor());
    int needed = placement.size() / 2 + 1;
    long deadline = System.currentTimeMillis() + request.getLong("timeoutMs", AWAIT_DEFAULT_TIMEOUT_MILLIS);
    Promise<JsonObject> answered = Promise.promise();
    poll(sha, placement, needed, deadline, answered);
    return answered.future();
  }

  /** Counts only holders in the placement: the uploader's copy may be one that is about to go. */
  private void poll(String sha, List<String> placement, int needed, long deadline, Promise<JsonObject> answered) {
    index.holdersOf(sha).map(listed -> listed.stream().filter(placement::contains).toList()).onComplete(found -> {
      if (found.succeeded() && found.result().size() >= needed) {
        answered.complete(new JsonObject().put("holders", new JsonArray(found.result())).put("needed", needed));
      } else if (System.currentTimeMillis() >= deadline) {
        int have = found.succeeded() ? found.result().size() : 0;
        answered.fail(new ServiceException(504, "stored, but only " + have + " of the " + needed
            + " copies the quorum acknowledgement needs were made in time; replication goes on"));
      } else {
        vertx.setTimer(AWAIT_POLL_MILLIS, t -> poll(sha, placement, needed, deadline, answered));
      }
    });
  }

  /** {@link #awaitCopies} for many blobs: one index query per poll for those still short. */
  private Future<JsonObject> awaitAllCopies(JsonObject request) {
    JsonArray given = request.getJsonArray("sha256s");
    if (given == null) {
      throw ServiceException.badRequest("sha256s is required");
    }
    Map<String, List<String>> placements = new HashMap<>();
    for (Object sha : given) {
      placements.put(sha256Of(new JsonObject().put("sha256", sha)), List.of());
    }
    if (config.ack() == NodeConfig.Replication.Ack.LOCAL || placements.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("short", new JsonArray()));
    }
    Set<String> members = nodes.nodeIds();
    placements.replaceAll((sha, none) -> Placement.holdersFor(sha, members, factor()));
    long deadline = System.currentTimeMillis() + request.getLong("timeoutMs", AWAIT_DEFAULT_TIMEOUT_MILLIS);
    Promise<JsonObject> answered = Promise.promise();
    pollAll(placements, deadline, answered);
    return answered.future();
  }

  private void pollAll(Map<String, List<String>> shortOf, long deadline, Promise<JsonObject> answered) {
    index.holdersOfEach(List.copyOf(shortOf.keySet())).onComplete(found -> {
      if (found.succeeded()) {
        shortOf.entrySet().removeIf(e -> {
          Set<String> listed = found.result().getOrDefault(e.getKey(), Set.of());
          return e.getValue().stream().filter(listed::contains).count() >= e.getValue().size() / 2 + 1;
        });
      }
      if (shortOf.isEmpty() || System.currentTimeMillis() >= deadline) {
        answered.complete(new JsonObject().put("short", new JsonArray(List.copyOf(shortOf.keySet()))));
      } else {
        vertx.setTimer(AWAIT_POLL_MILLIS, t -> pollAll(shortOf, deadline, answered));
      }
    });
  }

  private static String sha256Of(JsonObject request) {
    String sha = request.getString("sha256");
    if (sha == null || !SHA256.matcher(sha).matches()) {
      throw ServiceException.badRequest("sha256 must be 64 lowercase hex digits");
    }
    return sha;
  }
}
