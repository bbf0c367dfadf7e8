package io.dspot.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container deployment as an operator runs it: {@code compose/up.sh} builds the image (on a
 * base made from Debian packages), starts three nodes on an internal and an external podman
 * network with the floating IP, and a client container on the external network only; every
 * request below is made from that client (or, for the internal ports, from a node), never from
 * the host. Runs after {@code package} (failsafe), since the image holds the built jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeClusterIT {

  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  private static final String[] INTERNAL_PORTS = {"5701", "5801", "8081"};
  /** curl's exit codes for a connection refused, timed out, failed TLS handshake, empty reply, reset. */
  private static final java.util.Set<Integer> TRANSPORT_ERRORS = java.util.Set.of(7, 28, 35, 52, 56);
  private static final String VIP_URL = "https://" + Deployment.VIP + ":8080";

  private Deployment deployment;
  private final String password = "it-" + UUID.randomUUID();
  private String token;
  /** Acknowledged writes: song ids the cluster answered 201 for, and a playlist of them. */
  private final List<String> acknowledgedSongs = new ArrayList<>();
  private String playlistId;

  @BeforeAll
  void up(@TempDir Path certs) {
    String why = Deployment.whyNotRunnable();
    Assumptions.assumeTrue(why == null, () -> "container tests skipped: " + why);
    Deployment.sweepAbandoned();
    deployment = new Deployment(certs, password);
    long started = System.nanoTime();
    Deployment.Result up = deployment.up();
    assertThat(up.ok()).as("compose/up.sh: %s", up.output()).isTrue();
    System.out.printf("compose/up.sh (image, certificates, three nodes healthy) took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  void down() {
    if (deployment == null) {
      return;
    }
    List<String> volumes = deployment.volumes();
    Deployment.Result down = deployment.down();
    assertThat(down.ok()).as("compose/down.sh: %s", down.output()).isTrue();
    assertThat(deployment.leftovers(volumes)).as("containers, volumes, networks or image left by the test").isEmpty();
  }

  @Test
  @Order(1)
  void composeFileIsValidForBothComposeTools() {
    Deployment.Result podmanCompose = Deployment.run(60, java.util.Map.of("DSPOT_ADMIN_PASSWORD", "x"),
        "podman-compose", "-p", "validate-only", "-f", "compose/compose.yaml", "ps");
    assertThat(podmanCompose.ok()).as("podman-compose reads compose.yaml: %s", podmanCompose.output()).isTrue();
    if (Deployment.run(10, java.util.Map.of(), "sh", "-c", "command -v docker-compose").ok()) {
      Deployment.Result docker = Deployment.run(60, java.util.Map.of("DSPOT_ADMIN_PASSWORD", "x"),
          "docker-compose", "-f", "compose/compose.yaml", "config", "-q");
      assertThat(docker.ok()).as("docker-compose config: %s", docker.output()).isTrue();
    }
  }

  @Test
  @Order(2)
  void theThreeNodesFormOneClusterBehindTheVip() {
    assertThat(curl(VIP_URL + "/api/health")).isEqualTo("{\"status\":\"UP\"}");
    token = new JsonObject(curl("-H", "Content-Type: application/json",
        "-d", new JsonObject().put("username", "admin").put("password", password).encode(),
        VIP_URL + "/api/auth/login")).getString("token");
    assertThat(token).as("admin login through the VIP").isNotBlank();
    for (String node : NODES) {
      JsonObject health = new JsonObject(curl(auth(), nodeUrl(node) + "/api/health"));
      assertThat(health.getString("node")).isEqualTo(node);
      assertThat(health.getJsonObject("cluster").getInteger("members")).as("%s sees", node).isEqualTo(3);
    }
    assertThat(curl(VIP_URL + "/")).as("the web player through the VIP").contains("<title>Distributed Spotify</title>");
    assertThat(curl(VIP_URL + "/app/main.js")).as("its script").contains("import");
  }

  @Test
  @Order(3)
  void anUploadThroughTheVipStreamsFromEveryNode() throws Exception {
    String id = upload("tone.mp3");
    String expected = sha256(ApiClient.fixture("tone.mp3"));
    for (String node : NODES) {
      String streamed = Await.within(Duration.ofSeconds(30)).until(node + " streams the upload",
          () -> streamSha256(node, id), expected::equals);
      assertThat(streamed).isEqualTo(expected);
    }
    JsonObject playlist = new JsonObject(curl(auth(), "-H", "Content-Type: application/json",
        "-d", new JsonObject().put("name", "kept").put("songIds", new JsonArray().add(id)).encode(),
        VIP_URL + "/api/playlists"));
    playlistId = playlist.getString("id");
    assertThat(playlistId).isNotBlank();
  }

  @Test
  @Order(4)
  void internalPortsAnswerOnlyOnTheInternalNetwork() {
    String target = NODES.get(0);
    String internal = deployment.address(target, "internal");
    String external = deployment.address(target, "external");
    assertThat(internal).startsWith("198.18.20.");
    assertThat(external).startsWith("198.18.21.");
    for (String port : INTERNAL_PORTS) {
      assertThat(connects("client", internal, port)).as("client -> %s:%s (internal address)", internal, port).isFalse();
      assertThat(connects("client", external, port)).as("client -> %s:%s (external address)", external, port).isFalse();
      assertThat(connects("node-2", internal, port)).as("node-2 -> %s:%s", internal, port).isTrue();
    }
    assertThat(connects("client", external, "8080")).as("the public port on the external address").isTrue();
    assertThat(connects("node-2", internal, "8080")).as("the public port on the internal address").isFalse();
  }

  @Test
  @Order(5)
  void aNodeGivenSubnetsItIsNotOnRefusesToStartAndSaysWhy() {
    String network = deployment.project + "_external";
    Deployment.Result malformed = deployment.podman(60, "run", "--rm", "--network", network,
        "-e", "DSPOT_INTERNAL_SUBNET=198.18.20.0", "-e", "DSPOT_INTERNAL_RANGE=198.18.20.0/28",
        "-e", "DSPOT_EXTERNAL_SUBNET=" + Deployment.EXTERNAL_SUBNET, deployment.image);
    assertThat(malformed.exit()).isEqualTo(78);
    assertThat(malformed.output()).contains("DSPOT_INTERNAL_SUBNET must be a subnet such as 198.18.10.0/24, got '198.18.20.0'");
    // Only on the external network: it has no internal address to give Hazelcast.
    Deployment.Result missing = deployment.podman(60, "run", "--rm", "--network", network,
        "-e", "DSPOT_INTERNAL_SUBNET=" + Deployment.INTERNAL_SUBNET, "-e", "DSPOT_INTERNAL_RANGE=198.18.20.0/28",
        "-e", "DSPOT_EXTERNAL_SUBNET=" + Deployment.EXTERNAL_SUBNET, deployment.image);
    assertThat(missing.exit()).isEqualTo(78);
    assertThat(missing.output()).contains("this container has no address in the internal network " + Deployment.INTERNAL_SUBNET);
  }

  @Test
  @Order(6)
  void killingTheLeadersContainerMovesTheVipAndLosesNothing() throws Exception {
    String leader = vipHolder();
    assertThat(leader).as("one node holds the VIP").isNotNull();
    deployment.exec("client", "sh", "-c", "rm -f /tmp/probe; (while true; do echo \"$(date +%s.%N) $(curl -sk -o /dev/null "
        + "-w '%{http_code}' --max-time 1 " + VIP_URL + "/api/health)\" >> /tmp/probe; sleep 0.1; done) >/dev/null 2>&1 &");
    Thread.sleep(1_000);
    double killedAt = System.currentTimeMillis() / 1000.0;
    assertThat(deployment.podman(60, "kill", deployment.container(leader)).ok()).isTrue();

    String next = Await.within(Duration.ofSeconds(30)).until("another node holds the VIP", this::vipHolder,
        holder -> holder != null && !holder.equals(leader));
    Await.within(Duration.ofSeconds(30)).until("the VIP answers again",
        () -> curl(VIP_URL + "/api/health").contains("status"));
    // Acknowledged while the killed node is away.
    String during = Await.within(Duration.ofSeconds(30)).success("an upload through the VIP", () -> upload("tone.ogg"));
    System.out.printf("VIP moved from %s to %s; outage seen by the client: %s%n", leader, next, outage(killedAt));

    assertThat(deployment.podman(60, "start", deployment.container(leader)).ok()).isTrue();
    Await.within(Duration.ofSeconds(180)).every(Duration.ofSeconds(2)).until(leader + " healthy again",
        () -> deployment.podman(30, "healthcheck", "run", deployment.container(leader)).ok());
    JsonObject health = new JsonObject(curl(auth(), nodeUrl(leader) + "/api/health"));
    assertThat(health.getJsonObject("cluster").getInteger("members")).as("%s rejoined", leader).isEqualTo(3);

    // Nothing acknowledged is lost: every song and the playlist, on every node, the restarted one too.
    for (String node : NODES) {
      JsonArray songs = Await.within(Duration.ofSeconds(30)).until(node + " lists every acknowledged song",
          () -> new JsonObject(curl(auth(), nodeUrl(node) + "/api/songs?limit=200")).getJsonArray("items"),
          items -> items.stream().map(s -> ((JsonObject) s).getString("id")).toList().containsAll(acknowledgedSongs));
      assertThat(songs.size()).isGreaterThanOrEqualTo(acknowledgedSongs.size());
      JsonObject playlist = new JsonObject(curl(auth(), nodeUrl(node) + "/api/playlists/" + playlistId));
      assertThat(playlist.getString("name")).isEqualTo("kept");
    }
    assertThat(streamSha256(leader, during)).as("the restarted node streams what was uploaded without it")
        .isEqualTo(sha256(ApiClient.fixture("tone.ogg")));
  }

  private String upload(String fixture) {
    String inClient = "/tmp/" + fixture;
    Deployment.Result copied = deployment.podman(60, "cp", ApiClient.fixture(fixture).toString(), deployment.container("client") + ":" + inClient);
    assertThat(copied.ok()).as("podman cp: %s", copied.output()).isTrue();
    JsonObject reply = new JsonObject(curl(auth(), "-F", "file=@" + inClient, VIP_URL + "/api/songs"));
    String id = reply.getJsonArray("songs").getJsonObject(0).getString("id");
    acknowledgedSongs.add(id);
    return id;
  }

  private String streamSha256(String node, String songId) {
    Deployment.Result r = deployment.exec("client", "sh", "-c", "curl -skf --max-time 20 -H 'Authorization: Bearer " + token + "' "
        + nodeUrl(node) + "/api/songs/" + songId + "/stream | sha256sum");
    return r.output().split(" ")[0].strip();
  }

  /** The node whose external interface has the VIP, or null. */
  private String vipHolder() {
    String holder = null;
    for (String node : NODES) {
      Deployment.Result r = deployment.exec(node, "ip", "-o", "-4", "addr", "show");
      if (r.ok() && r.output().contains(" " + Deployment.VIP + "/")) {
        assertThat(holder).as("two nodes hold the VIP").isNull();
        holder = node;
      }
    }
    return holder;
  }

  /**
   * The client's outage: from its last good answer through the VIP before the first failed one
   * after the kill was asked for, to its first good answer after that failure.
   */
  private String outage(double killedAt) {
    List<String[]> probes = deployment.exec("client", "cat", "/tmp/probe").output().lines()
        .map(l -> l.split(" ")).filter(f -> f.length == 2).toList();
    double lastGood = killedAt;
    for (int i = 0; i < probes.size(); i++) {
      double at = Double.parseDouble(probes.get(i)[0]);
      boolean good = probes.get(i)[1].equals("200");
      if (good) {
        lastGood = at;
      } else if (at > killedAt) {
        for (String[] later : probes.subList(i, probes.size())) {
          if (later[1].equals("200")) {
            return String.format("%.2f s", Double.parseDouble(later[0]) - lastGood);
          }
        }
        return "no good answer yet";
      }
    }
    return "no failed probe (the VIP moved between two probes)";
  }

  private boolean connects(String from, String host, String port) {
    return deployment.exec(from, "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port).ok();
  }

  private String nodeUrl(String node) {
    return "https://" + deployment.address(node, "external") + ":8080";
  }

  private String auth() {
    return "-HAuthorization: Bearer " + token;
  }

  /**
   * curl in the client container; the body, failing the test on an HTTP error. A transport error
   * (no connection, reset, timeout) is tried again twice, a second apart, as the web player does:
   * the VIP moves whenever the leader stalls past its timeout, which a loaded machine can cause.
   */
  private String curl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sSk", "--fail-with-body", "--max-time", "20"));
    cmd.addAll(List.of(args));
    Deployment.Result r = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      r = deployment.exec("client", cmd.toArray(String[]::new));
      if (r.ok() || !TRANSPORT_ERRORS.contains(r.exit())) {
        break;
      }
      pause(1_000);
    }
    if (!r.ok()) {
      throw new IllegalStateException("curl " + String.join(" ", args) + " exited " + r.exit() + ": " + r.output());
    }
    return r.output();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
