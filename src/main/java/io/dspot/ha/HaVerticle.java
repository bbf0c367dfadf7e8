package io.dspot.ha;

import io.dspot.bus.BusService;
import io.dspot.cluster.ClusterAddresses;
import io.dspot.config.NodeConfig;
import io.dspot.http.ApiReplies;
import io.dspot.http.InternalRoutes;
import io.dspot.pki.MemberTls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader and its floating IP (built-in mode), one per node. Every {@code pollMillis} the node
 * asks every live peer's {@code /internal/leader}, reads the cluster-wide {@link LeaderRecord} and
 * its own database's health, and does what {@link Election} says: claim, hold, hand over or
 * release the VIP (through {@link VipScripts}, on a worker). In {@code off} and {@code keepalived}
 * modes it only reports.
 */
public final class HaVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HaVerticle.class);
  private static final String MAP = "dspot.ha";
  private static final String KEY = "leader";

  private final String self;
  private final NodeConfig.Ha config;
  private final int majorityOf;
  private final MemberTls tls;
  private final Supplier<Future<?>> databaseCheck;
  private final VipScripts scripts;
  /** Peer node id → when it last answered, and what it said. */
  private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();

  private volatile LeaderRecord record = LeaderRecord.NONE;
  private volatile boolean holding;
  private volatile boolean vipHeld;
  private volatile boolean eligible;
  private long leaderSeenAt = System.nanoTime();
  private boolean ticking;
  private boolean scriptRunning;
  private AsyncMap<String, String> records;
  private WebClient client;
  private BusService bus;
  private long timer = -1;

  /**
   * @param majorityOf how many nodes make a majority of the configured cluster
   * @param tls this member's certificate, for asking peers; null for a cluster set to run insecure
   * @param databaseCheck succeeds while this node's database answers
   */
  public HaVerticle(String self, NodeConfig.Ha config, int majorityOf, MemberTls tls, Supplier<Future<?>> databaseCheck) {
    this.self = self;
    this.config = config;
    this.majorityOf = majorityOf;
    this.tls = tls;
    this.databaseCheck = databaseCheck;
    this.scripts = new VipScripts(config);
  }

  /** {@code GET /internal/leader}, for the internal API server. */
  public InternalRoutes routes() {
    return router -> router.get(HaAddresses.LEADER_PATH).handler(ctx -> ApiReplies.json(ctx, 200, leaderJson()));
  }

  @Override
  public Future<?> start() {
    bus = new BusService(vertx).on(HaAddresses.STATUS, request -> Future.succeededFuture(status()));
    if (config.mode() != NodeConfig.Ha.Mode.BUILTIN) {
      return bus.ready();
    }
    WebClientOptions options = new WebClientOptions().setConnectTimeout((int) config.leaderTimeoutMillis())
        .setIdleTimeout((int) config.leaderTimeoutMillis()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setKeepAlive(true).setUserAgent("dspot-ha");
    client = WebClient.create(vertx, tls == null ? options : tls.applyTo(options));
    return Future.join(bus.ready(), vertx.sharedData().<String, String>getClusterWideMap(MAP).onSuccess(map -> records = map))
        .onSuccess(v -> timer = vertx.setPeriodic(config.pollMillis(), id -> tick()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    Future<?> released = holding || vipHeld ? release("node stopping") : Future.succeededFuture();
    return released.eventually(() -> bus.close()).eventually(() -> client == null ? Future.succeededFuture() : Future.succeededFuture(closeClient()));
  }

  private Void closeClient() {
    client.close();
    return null;
  }

  private JsonObject leaderJson() {
    LeaderRecord r = record;
    return new JsonObject().put("leader", r.leader()).put("term", r.term()).put("self", self).put("vipHeld", vipHeld)
        .put("since", r.since()).put("eligible", eligible);
  }

  private JsonObject status() {
    LeaderRecord r = record;
    String holder = vipHeld ? self : answers.entrySet().stream()
        .filter(e -> fresh(e.getKey()) && e.getValue().getBoolean("vipHeld", false)).map(Map.Entry::getKey).findFirst().orElse(null);
    return new JsonObject().put("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT)).put("leader", r.leader())
        .put("vipHolder", holder).put("vip", config.vip()).put("since", r.since()).put("term", r.term())
        .put("failovers", r.failovers().copy());
  }

  private boolean fresh(String nodeId) {
    return freshWithin(nodeId, config.leaderTimeoutMillis());
  }

  private boolean freshWithin(String nodeId, long millis) {
    Long at = answeredAt.get(nodeId);
    return at != null && (System.nanoTime() - at) / 1_000_000 < millis;
  }

  private void tick() {
    if (ticking) {
      return;
    }
    ticking = true;
    Future<JsonObject> members = vertx.eventBus().<JsonObject>request(ClusterAddresses.MEMBERS, new JsonObject(),
        new DeliveryOptions().setSendTimeout(config.leaderTimeoutMillis())).map(m -> m.body());
    Future<Boolean> healthy = within(databaseCheck.get()).map(x -> true).otherwise(false);
    Future<LeaderRecord> current = within(records.get(KEY)).map(LeaderRecord::decode);
    members.onSuccess(this::pollPeers);
    Future.join(members, healthy, current).onComplete(done -> {
      try {
        if (current.failed() || members.failed()) {
          // Without the record or the membership this node cannot know it still leads: fail safe.
          eligible = false;
          if (holding || vipHeld) {
            release("cannot read the leader record or membership: " + (current.failed() ? current.cause() : members.cause()).getMessage());
          }
          return;
        }
        act(members.result(), healthy.result(), current.result());
      } finally {
        ticking = false;
      }
    });
  }

  /** Asks every live peer whom it follows; an answer marks it reachable. */
  private void pollPeers(JsonObject view) {
    for (Object o : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) o;
      String nodeId = member.getString("nodeId");
      String internal = member.getString("internal");
      if (nodeId == null || internal == null || nodeId.equals(self)) {
        continue;
      }
      int colon = internal.lastIndexOf(':');
      client.get(Integer.parseInt(internal.substring(colon + 1)), internal.substring(0, colon), HaAddresses.LEADER_PATH)
          .ssl(tls != null).timeout(config.leaderTimeoutMillis()).send()
          .onSuccess(response -> {
            if (response.statusCode() == 200) {
              answers.put(nodeId, response.bodyAsJsonObject());
              answeredAt.put(nodeId, System.nanoTime());
            }
          });
    }
  }

  private void act(JsonObject view, boolean healthy, LeaderRecord current) {
    record = current;
    Set<String> live = new TreeSet<>();
    view.getJsonArray("members").forEach(o -> {
      String id = ((JsonObject) o).getString("nodeId");
      if (id != null) {
        live.add(id);
      }
    });
    Set<String> reachable = reachable(live, config.leaderTimeoutMillis());
    // The leader gives up a third earlier than the others take over, so the two never overlap.
    boolean leading = self.equals(current.leader());
    Set<String> counted = leading ? reachable(live, config.leaderTimeoutMillis() * 2 / 3) : reachable;
    boolean majority = view.getBoolean("majority", false) && counted.size() >= majorityOf;
    eligible = healthy && majority;
    Set<String> canLead = new TreeSet<>();
    for (String id : reachable) {
      if (id.equals(self) ? eligible : answers.getOrDefault(id, new JsonObject()).getBoolean("eligible", false)) {
        canLead.add(id);
      }
    }
    if (current.leader() != null && reachable.contains(current.leader())) {
      leaderSeenAt = System.nanoTime();
    }
    Election.Step step = Election.decide(new Election.Situation(self, current, holding, healthy, majority, reachable, canLead,
        (System.nanoTime() - leaderSeenAt) / 1_000_000, config.leaderTimeoutMillis(), config.preferLeader()));
    switch (step) {
      case WAIT -> { }
      case HOLD -> hold();
      case RELEASE -> release(!majority ? "lost the majority (reaches " + counted + ")" : "no longer leader (term " + current.term()
          + ", leader " + current.leader() + ")");
      case RESIGN -> replace(current, current.handedTo(null, "leader " + self + " unhealthy (database down)", Instant.now()))
          .onComplete(x -> release("unhealthy: database down"));
      case HAND_TO_PREFERRED -> replace(current, current.handedTo(config.preferLeader(), "preferred leader is back", Instant.now()))
          .onComplete(x -> release("handed over to the preferred leader " + config.preferLeader()));
      case CLAIM -> replace(current, current.handedTo(self, reasonFor(current, live), Instant.now())).onSuccess(won -> {
        if (won) {
          log.info("leader: {} (term {})", self, current.term() + 1);
          hold();
        }
      });
    }
  }

  private Set<String> reachable(Set<String> live, long withinMillis) {
    Set<String> ids = new TreeSet<>();
    for (String id : live) {
      if (id.equals(self) || freshWithin(id, withinMillis)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private String reasonFor(LeaderRecord current, Set<String> live) {
    if (current.leader() == null) {
      return current.term() == 0 ? "first election" : "previous leader resigned";
    }
    return live.contains(current.leader())
        ? "leader " + current.leader() + " did not answer for " + config.leaderTimeoutMillis() + " ms"
        : "leader " + current.leader() + " left the cluster";
  }

  /** Compare-and-set on the encoded record: true when this node's version replaced the one it read. */
  private Future<Boolean> replace(LeaderRecord read, LeaderRecord next) {
    Future<Boolean> swapped = read.term() == 0 && read.leader() == null
        ? records.putIfAbsent(KEY, next.encode()).map(previous -> previous == null)
        : records.replaceIfPresent(KEY, read.encode(), next.encode());
    return within(swapped).onSuccess(won -> {
      if (won) {
        record = next;
      }
    }).otherwise(false);
  }

  private void hold() {
    holding = true;
    if (vipHeld || scriptRunning) {
      return;
    }
    scriptRunning = true;
    vertx.executeBlocking(scripts::up, true).onComplete(up -> {
      scriptRunning = false;
      // A release may have come while the script ran: only a still-holding node keeps the VIP.
      if (up.succeeded() && up.result()) {
        vipHeld = true;
        if (!holding) {
          release("lost leadership while claiming the VIP");
        }
      }
    });
  }

  private Future<?> release(String why) {
    boolean wasHolding = holding || vipHeld;
    holding = false;
    if (wasHolding) {
      log.warn("releasing the VIP {}: {}", config.vip(), why);
    }
    return vertx.executeBlocking(scripts::down, true).onSuccess(down -> {
      if (down && !holding) {
        vipHeld = false;
      }
    });
  }

  /** A cluster call that does not answer within the leader timeout counts as failed. */
  private <T> Future<T> within(Future<T> call) {
    Promise<T> answer = Promise.promise();
    long guard = vertx.setTimer(config.leaderTimeoutMillis(), t -> answer.tryFail("no answer within " + config.leaderTimeoutMillis() + " ms"));
    call.onComplete(result -> {
      vertx.cancelTimer(guard);
      if (result.succeeded()) {
        answer.tryComplete(result.result());
      } else {
        answer.tryFail(result.cause());
      }
    });
    return answer.future();
  }
}
