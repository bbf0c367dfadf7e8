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
 * asks every live peer's {@code /internal/leader} (adopting any later term it hears of, see
 * {@link Ballot}) and checks its own database, then does what {@link Election} says: stand for
 * election, hold, step down or release the VIP (through {@link VipScripts}, on a worker). In
 * {@code keepalived} mode it polls the same way but never elects nor touches the VIP: keepalived's
 * reports ({@link KeepalivedHook}) and the peers' answers say who is MASTER
 * ({@link KeepalivedFollower}). In {@code off} mode it only reports.
 */
public final class HaVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HaVerticle.class);

  private static final long DATABASE_TIMEOUT_MILLIS = 2_000;

  private final String self;
  private final NodeConfig.Ha config;
  private final int majorityOf;
  private final MemberTls tls;
  private final Supplier<Future<?>> databaseCheck;
  private final VipScripts scripts;
  /** Peer node id → when it last answered, and what it said. */
  private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
  /** Live peers' internal API addresses ("host:port"), from the last membership view. */
  private final Map<String, String> internalAddresses = new ConcurrentHashMap<>();
  /** The last leader this node knew of, for the hand-over history once it is gone. */
  private String lastLeader;

  private final Ballot ballot;
  private final KeepalivedFollower keepalived;
  private final VipClaim vip;
  private volatile boolean eligible;
  private long leaderSeenAt = System.nanoTime();
  /** The database's last answer (false until the first), and whether a check is under way. */
  private boolean databaseUp;
  private boolean checkingDatabase;
  /** The membership as the cluster module last announced it; read on each tick without asking (a busy registry is slow). */
  private volatile JsonObject view;
  private io.vertx.core.eventbus.MessageConsumer<JsonObject> viewChanges;
  private long lastTickAt = System.nanoTime();
  private boolean campaigning;
  /** When this leader began waiting for a peer to drop the VIP before claiming it (System.nanoTime), 0 when not waiting. */
  private long claimWaitSince;
  private final io.dspot.bus.RateLimitedWarning lostCampaigns = new io.dspot.bus.RateLimitedWarning(log, java.time.Duration.ofSeconds(10));
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
    this.vip = new VipClaim(up -> vertx.executeBlocking(up ? scripts::up : scripts::down, true));
    this.ballot = new Ballot(self);
    this.keepalived = new KeepalivedFollower(self);
  }

  private boolean followsKeepalived() {
    return config.mode() == NodeConfig.Ha.Mode.KEEPALIVED;
  }

  /**
   * {@code GET /internal/leader}, {@code POST /internal/leader/vote} and keepalived's
   * {@link KeepalivedHook#PATH}, for the internal API server.
   */
  public InternalRoutes routes() {
    KeepalivedHook hook = new KeepalivedHook(keepalived::reported);
    return router -> {
      hook.mount(router);
      router.get(HaAddresses.LEADER_PATH).handler(ctx -> ApiReplies.json(ctx, 200, leaderJson()));
      router.post(HaAddresses.VOTE_PATH).handler(io.vertx.ext.web.handler.BodyHandler.create().setBodyLimit(4_096)).handler(ctx -> {
        JsonObject body;
        try {
          body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
          body = null;
        }
        if (body == null || !(body.getValue("term") instanceof Number) || !(body.getValue("candidate") instanceof String)) {
          ApiReplies.error(ctx, 400, "a vote request is {\"term\": <number>, \"candidate\": \"<nodeId>\"}");
          return;
        }
        long term = body.getLong("term");
        String candidate = body.getString("candidate");
        if (config.mode() != NodeConfig.Ha.Mode.BUILTIN) {
          ApiReplies.json(ctx, 200, new JsonObject().put("granted", false).put("term", ballot.term()));
          return;
        }
        io.vertx.core.Context server = vertx.getOrCreateContext();
        leaderStillAlive(candidate).onComplete(alive -> server.runOnContext(v -> {
          boolean granted = ballot.grant(term, candidate, alive.result(), System.nanoTime(), config.leaderTimeoutMillis());
          ApiReplies.json(ctx, 200, new JsonObject().put("granted", granted).put("term", ballot.term()));
        }));
      });
    };
  }

  @Override
  public Future<?> start() {
    bus = new BusService(vertx).on(HaAddresses.STATUS, request -> Future.succeededFuture(status()));
    if (config.mode() == NodeConfig.Ha.Mode.OFF) {
      return bus.ready();
    }
    WebClientOptions options = new WebClientOptions().setConnectTimeout((int) config.leaderTimeoutMillis())
        .setIdleTimeout((int) config.leaderTimeoutMillis()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setKeepAlive(true).setUserAgent("dspot-ha");
    client = WebClient.create(vertx, tls == null ? options : tls.applyTo(options));
    viewChanges = vertx.eventBus().<JsonObject>localConsumer(ClusterAddresses.MEMBERSHIP_CHANGED, m -> view = m.body());
    return Future.join(bus.ready(), viewChanges.completion(),
            vertx.eventBus().<JsonObject>request(ClusterAddresses.MEMBERS, new JsonObject()).onSuccess(m -> {
              if (view == null) {
                view = m.body();
              }
            }))
        .onSuccess(v -> timer = vertx.setPeriodic(config.pollMillis(), id -> tick()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    Future<?> released = vip.claimed() ? release("node stopping") : Future.succeededFuture();
    return released.eventually(() -> bus.close())
        .eventually(() -> viewChanges == null ? Future.succeededFuture() : viewChanges.unregister())
        .eventually(() -> client == null ? Future.succeededFuture() : Future.succeededFuture(closeClient()));
  }

  private Void closeClient() {
    client.close();
    return null;
  }

  private JsonObject leaderJson() {
    if (followsKeepalived()) {
      return keepalived.toJson(freshAnswers());
    }
    return ballot.toJson().put("vipHeld", vip.held()).put("eligible", eligible);
  }

  /**
   * Whether the leader this node follows is alive, asked again when a candidate wants this node's
   * vote while its last answer still says so: a candidate stands because the leader refused its
   * poll (killed), and this node's own poll may only come a whole interval later. Without asking,
   * the vote was refused and the election waited for the next tick (a kill -9 cost ~0.6 s).
   */
  private Future<Boolean> leaderStillAlive(String candidate) {
    String leader = ballot.leader();
    boolean alive = leaderAlive();
    if (!alive || leader.equals(self) || leader.equals(candidate) || !internalAddresses.containsKey(leader)) {
      return Future.succeededFuture(alive);
    }
    Promise<Boolean> asked = Promise.promise();
    context.runOnContext(v -> ask(leader, internalAddresses.get(leader), config.leaderTimeoutMillis() / 2)
        .onComplete(answer -> asked.complete(leaderAlive())));
    return asked.future();
  }

  /** The leader this node follows answered lately and said it leads (for this node: it leads and may). */
  private boolean leaderAlive() {
    String leader = ballot.leader();
    if (leader == null) {
      return false;
    }
    if (leader.equals(self)) {
      return eligible;
    }
    // A leader that says it cannot lead (no majority as it sees it, or no database) has dropped the
    // VIP: following it on would leave nobody holding it for as long as its view stays one-sided.
    JsonObject said = answers.get(leader);
    return fresh(leader) && said != null && leader.equals(said.getString("leader")) && said.getBoolean("eligible", true);
  }

  private JsonObject status() {
    if (followsKeepalived()) {
      return keepalived.status(freshAnswers(), config.vip());
    }
    JsonObject r = ballot.toJson();
    String holder = vip.held() ? self : peerHoldingTheVip();
    return new JsonObject().put("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT)).put("leader", r.getString("leader"))
        .put("vipHolder", holder).put("vip", config.vip()).put("since", r.getString("since")).put("term", r.getLong("term"))
        .put("failovers", r.getJsonArray("failovers"));
  }

  /** The answers of the peers that answered within the leader timeout. */
  private Map<String, JsonObject> freshAnswers() {
    Map<String, JsonObject> fresh = new java.util.HashMap<>();
    answers.forEach((id, answer) -> {
      if (fresh(id)) {
        fresh.put(id, answer);
      }
    });
    return fresh;
  }

  private boolean fresh(String nodeId) {
    return freshWithin(nodeId, config.leaderTimeoutMillis());
  }

  private boolean freshWithin(String nodeId, long millis) {
    Long at = answeredAt.get(nodeId);
    return at != null && (System.nanoTime() - at) / 1_000_000 < millis;
  }

  private void tick() {
    if (followsKeepalived()) {
      // keepalived elects and moves the VIP: this node only learns who is MASTER.
      pollPeers(view);
      return;
    }
    long now = System.nanoTime();
    long gapMillis = (now - lastTickAt) / 1_000_000;
    lastTickAt = now;
    if (gapMillis > config.leaderTimeoutMillis() + config.pollMillis() && vip.claimed()) {
      // This process did not run for a whole leader timeout past its poll (SIGSTOP, swapping): the
      // others may have elected another leader meanwhile. Drop the VIP now; the next answers tell who leads.
      ballot.resign();
      release("this node was stalled for " + gapMillis + " ms");
    }
    if (gapMillis > config.leaderTimeoutMillis() + config.pollMillis()) {
      // The silence this node lived through was its own: the leader gets a full timeout to be
      // heard again before this node stands (a thawed old leader stood at once and took the VIP back).
      leaderSeenAt = now;
    }
    // The peers are asked at every poll whatever the database does: a leader whose polls waited for
    // a slow SELECT (a loaded machine) heard its peers too late, thought it had lost the majority
    // and dropped the VIP while the others still followed it. The latest database answer is used.
    checkDatabase();
    JsonObject members = view;
    pollPeers(members);
    act(members, databaseUp);
  }

  private void checkDatabase() {
    if (checkingDatabase) {
      return;
    }
    checkingDatabase = true;
    databaseHealthy().onComplete(healthy -> {
      databaseUp = healthy.result();
      checkingDatabase = false;
    });
  }

  /** A database that refuses or breaks connections fails at once; a slow one under load is not a dead one. */
  private Future<Boolean> databaseHealthy() {
    Promise<Boolean> answer = Promise.promise();
    long guard = vertx.setTimer(DATABASE_TIMEOUT_MILLIS, t -> answer.tryComplete(false));
    databaseCheck.get().onComplete(result -> {
      vertx.cancelTimer(guard);
      answer.tryComplete(result.succeeded());
    });
    return answer.future();
  }

  /**
   * Asks every peer whom it follows; an answer marks it reachable. Peers seen before are asked even
   * while the membership lacks them: Hazelcast's merge after a healed split drops live members from
   * the view for a while, and a voter that stopped hearing its leader for that reason would elect
   * another (or give the old leader its VIP back).
   */
  private void pollPeers(JsonObject view) {
    for (Object o : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) o;
      String nodeId = member.getString("nodeId");
      String internal = member.getString("internal");
      if (nodeId != null && !nodeId.equals(self) && internal != null) {
        internalAddresses.put(nodeId, internal);
      }
    }
    internalAddresses.forEach((nodeId, internal) -> ask(nodeId, internal, config.leaderTimeoutMillis()));
  }

  /** Asks one peer whom it follows; completes once it answered or failed. */
  private Future<?> ask(String nodeId, String internal, long timeoutMillis) {
    int colon = internal.lastIndexOf(':');
    long sentAt = System.nanoTime();
    return client.get(Integer.parseInt(internal.substring(colon + 1)), internal.substring(0, colon), HaAddresses.LEADER_PATH)
        .ssl(tls != null).timeout(timeoutMillis).send()
        .onSuccess(response -> {
          // An answer that took longer than the timeout tells the past: this process or the peer
          // was stalled meanwhile (a thawed node reads the answers queued while it was frozen,
          // from before the others elected a new leader, and must not count them as fresh).
          if (response.statusCode() == 200 && (System.nanoTime() - sentAt) / 1_000_000 <= config.leaderTimeoutMillis()) {
            JsonObject answer = response.bodyAsJsonObject();
            answers.put(nodeId, answer);
            answeredAt.put(nodeId, System.nanoTime());
            if (followsKeepalived()) {
              keepalived.heard(nodeId, answer);
            } else {
              ballot.adopt(answer);
            }
          }
        })
        .onFailure(e -> {
          // Refused: its host is up but nothing listens, so the node is dead (kill -9, crash); no
          // need to wait out the timeout as for a silent one (frozen, or its link down).
          if (e instanceof java.net.ConnectException && !(e instanceof io.netty.channel.ConnectTimeoutException)) {
            answeredAt.remove(nodeId);
            if (nodeId.equals(ballot.leader()) && !followsKeepalived() && view != null) {
              // Act now rather than at the next tick: the next leader is a vote away.
              act(view, databaseUp);
            }
          }
        });
  }

  private void act(JsonObject view, boolean healthy) {
    Set<String> live = new TreeSet<>();
    view.getJsonArray("members").forEach(o -> {
      String id = ((JsonObject) o).getString("nodeId");
      if (id != null) {
        live.add(id);
      }
    });
    // Reachable = answered the poll lately, whatever Hazelcast's view says: after a member is cut,
    // Hazelcast's survivors drop and merge each other for seconds (its view said "no majority" on
    // nodes that answered every poll), and a majority counted from it left nobody eligible.
    Set<String> reachable = reachable(internalAddresses.keySet(), config.leaderTimeoutMillis());
    // The leader's own stalls are caught in tick(); one slow answer must not cost the VIP, so the
    // leader counts its peers over one poll more than the others wait before voting (the window in
    // which two may hold the VIP grows by that poll, see the README).
    boolean leading = ballot.leading();
    Set<String> counted = leading ? reachable(internalAddresses.keySet(), config.leaderTimeoutMillis() + config.pollMillis()) : reachable;
    boolean majority = counted.size() >= majorityOf;
    eligible = healthy && majority;
    ballot.canLead(eligible);
    Set<String> canLead = new TreeSet<>();
    for (String id : reachable) {
      if (id.equals(self) ? eligible : answers.getOrDefault(id, new JsonObject()).getBoolean("eligible", false)) {
        canLead.add(id);
      }
    }
    if (ballot.leader() != null) {
      lastLeader = ballot.leader();
    }
    boolean leaderAlive = leaderAlive();
    if (leaderAlive) {
      leaderSeenAt = System.nanoTime();
    }
    // A VIP whose release script failed counts as held, so the release is tried again.
    Election.Step step = Election.decide(new Election.Situation(self, leading, vip.claimed(), healthy, majority, leaderAlive, canLead,
        (System.nanoTime() - leaderSeenAt) / 1_000_000, config.leaderTimeoutMillis(), config.preferLeader()));
    switch (step) {
      case WAIT -> { }
      case HOLD -> hold();
      case RELEASE -> release(!majority ? "lost the majority (reaches " + counted + "; " + lastAnswers(live) + ")" : "no longer leader (term " + ballot.term()
          + ", leader " + ballot.leader() + ")");
      case RESIGN -> {
        ballot.resign();
        release(healthy ? "handing over to the preferred leader " + config.preferLeader() : "unhealthy: database down");
      }
      case CAMPAIGN -> campaign(reachable, live);
    }
  }

  /** Asks the reachable peers for their votes in the next term; leads with a majority of the configured cluster. */
  private void campaign(Set<String> reachable, Set<String> live) {
    if (campaigning || ballot.votedForAnotherWithin(System.nanoTime(), config.leaderTimeoutMillis())) {
      return;
    }
    campaigning = true;
    String previous = ballot.leader() != null ? ballot.leader() : lastLeader;
    String reason = reasonFor(previous, live);
    long term = ballot.nextTermVotingForSelf();
    JsonObject request = new JsonObject().put("term", term).put("candidate", self);
    java.util.List<Future<Boolean>> votes = new java.util.ArrayList<>();
    for (String peer : reachable) {
      if (!peer.equals(self)) {
        votes.add(askVote(peer, request));
      }
    }
    Future.join(votes).onComplete(all -> {
      campaigning = false;
      long granted = 1 + votes.stream().filter(v -> v.succeeded() && v.result()).count();
      if (granted >= majorityOf && ballot.won(term, previous, reason, Instant.now())) {
        log.info("leader: {} (term {}, {} of {} votes; {})", self, term, granted, majorityOf, reason);
        lastLeader = self;
        hold();
      } else {
        lostCampaigns.warn("campaign for term {} lost: {} of {} needed votes (now at term {})", term, granted, majorityOf, ballot.term());
      }
    });
  }

  private Future<Boolean> askVote(String peer, JsonObject request) {
    String internal = internalAddresses.get(peer);
    if (internal == null) {
      return Future.succeededFuture(false);
    }
    int colon = internal.lastIndexOf(':');
    return client.post(Integer.parseInt(internal.substring(colon + 1)), internal.substring(0, colon), HaAddresses.VOTE_PATH)
        .ssl(tls != null).timeout(config.leaderTimeoutMillis()).sendJsonObject(request)
        .map(response -> {
          if (response.statusCode() != 200) {
            return false;
          }
          JsonObject answer = response.bodyAsJsonObject();
          // A refusal names the voter's term: a candidate that fell behind (the preferred node
          // after a stall, say) stands next time above it, or it would ask in spent terms forever.
          ballot.observe(answer.getLong("term", 0L));
          return answer.getBoolean("granted", false);
        })
        .otherwise(false);
  }

  /** How long ago each peer last answered, for the log when the majority is lost (a slow peer, or a slow self?). */
  private String lastAnswers(Set<String> live) {
    long now = System.nanoTime();
    java.util.List<String> ages = new java.util.ArrayList<>();
    for (String id : new TreeSet<>(internalAddresses.keySet())) {
      Long at = answeredAt.get(id);
      ages.add(id + (at == null ? " never answered" : " answered " + (now - at) / 1_000_000 + " ms ago")
          + (live.contains(id) ? "" : " (not a member now)"));
    }
    return ages.isEmpty() ? "no peers known" : String.join(", ", ages);
  }

  /** This node and the peers that answered within {@code withinMillis}. */
  private Set<String> reachable(Set<String> peers, long withinMillis) {
    Set<String> ids = new TreeSet<>(Set.of(self));
    for (String id : peers) {
      if (freshWithin(id, withinMillis)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private String reasonFor(String previous, Set<String> live) {
    if (previous == null) {
      return "first election";
    }
    if (previous.equals(self)) {
      return "this node led before";
    }
    JsonObject said = answers.get(previous);
    if (!live.contains(previous)) {
      return "leader " + previous + " left the cluster";
    }
    if (fresh(previous) && said != null && !said.getBoolean("eligible", false)) {
      return "leader " + previous + " stepped down (unhealthy or no majority)";
    }
    return fresh(previous) ? "leader " + previous + " stepped down" : "leader " + previous + " did not answer for " + config.leaderTimeoutMillis() + " ms";
  }

  /**
   * Claims the VIP, but not while a reachable peer still says it has it: that is the leader this
   * node just replaced (it blipped, or was handed over from), and it drops the VIP at its next poll
   * once it hears of the new term. Claiming at once put the VIP on two hosts for a moment (seen in
   * the lab after a healed cut). A dead, cut-off or frozen holder does not answer, so nothing
   * waits for it; one that answers but cannot drop it is waited for one leader timeout at most.
   */
  private void hold() {
    if (!vip.wanted()) {
      String other = peerHoldingTheVip();
      long now = System.nanoTime();
      if (other == null) {
        claimWaitSince = 0;
      } else {
        if (claimWaitSince == 0) {
          claimWaitSince = now;
        }
        long waited = (now - claimWaitSince) / 1_000_000;
        if (waited < config.leaderTimeoutMillis()) {
          return;
        }
        log.warn("claiming the VIP although {} still says it holds it after {} ms", other, waited);
      }
    }
    claimWaitSince = 0;
    vip.hold();
  }

  private String peerHoldingTheVip() {
    return answers.entrySet().stream()
        .filter(e -> fresh(e.getKey()) && e.getValue().getBoolean("vipHeld", false))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  private Future<Void> release(String why) {
    if (vip.wanted()) {
      log.warn("releasing the VIP {}: {}", config.vip(), why);
    }
    return vip.release();
  }
}
