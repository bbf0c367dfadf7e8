package io.dspot.netns;

import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The deployment's topology built by {@code ha/lab net} (the script operators run by hand): per node
 * a namespace with {@code eth0} on the internal bridge and {@code eth1} on the external one, and a
 * client namespace on the external bridge only. The nodes are started by the tests themselves
 * (from the test classpath: the jar is not built before the tests run). {@link #close} is
 * {@code ha/lab down}; a JVM that dies first leaves the run to the next run's sweep, which knows it
 * is stale because this JVM (its owner) is gone.
 */
final class TwoNetworkLab implements AutoCloseable {

  static final Path SCRIPT = Path.of("ha", "lab");
  static final String VIP = "198.18.1.100";

  final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final Path dir;
  private final OneLabAtATime turn = OneLabAtATime.acquire();

  TwoNetworkLab(Path dir) {
    this.dir = dir;
    try {
      script("net");
    } catch (RuntimeException e) {
      turn.close();
      throw e;
    }
  }

  /** The {@code ha} section of the built-in mode with the VIP on {@code eth1}; a fresh copy to add to. */
  static JsonObject builtinHa() {
    // 1.5 s instead of the default 600 ms: three nodes and their databases on two shared cores
    // stall for a second now and then, and the tests check who holds the VIP, not how fast it moves
    // (bench/failover.sh measures the defaults).
    return new JsonObject().put("ha", new JsonObject()
        .put("mode", "builtin").put("vip", VIP + "/24").put("interface", "eth1").put("leaderTimeoutMillis", 1_500));
  }

  static String internal(int i) {
    return "198.18.0.1" + i;
  }

  static String external(int i) {
    return "198.18.1.1" + i;
  }

  String ns(String name) {
    return "dsl-" + tag + "-" + name;
  }

  String node(int i) {
    return ns("n" + i);
  }

  String client() {
    return ns("client");
  }

  /** Starts nodes 1..3, one per node namespace, data under {@code dir}, with {@code extra} config sections (e.g. {@code ha}). */
  List<NetnsNode> startNodes(Path dir, io.vertx.core.json.JsonObject extra) throws java.io.IOException {
    List<NetnsNode> nodes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      nodes.add(new NetnsNode(i, node(i), dir.resolve("n" + i), "lab-" + tag, 3, TwoNetworkLab::internal, external(i), extra).start());
    }
    return nodes;
  }

  /** {@code ha/lab COMMAND N} for the node in namespace {@code nodeNs}. */
  String fault(String command, String nodeNs) {
    return script(command, String.valueOf(indexOf(nodeNs)));
  }

  /** Runs {@code ha/lab ARGS} for this run; its output. */
  String script(String... args) {
    return run(List.of("DSPOT_LAB_TAG=" + tag, "DSPOT_LAB_DIR=" + dir.toAbsolutePath(),
        "DSPOT_LAB_OWNER=" + ProcessHandle.current().pid()), args);
  }

  static String run(List<String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("env"));
    cmd.addAll(env);
    cmd.add(SCRIPT.toString());
    cmd.addAll(Arrays.asList(args));
    return NetnsLab.run(cmd.toArray(String[]::new));
  }

  /** Whether a TCP connection from namespace {@code ns} to host:port completes within 3 s. */
  static boolean connects(String ns, String host, int port) {
    try {
      Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "3", "bash", "-c",
          "exec 3<>/dev/tcp/" + host + "/" + port).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The local address:port of every listening TCP socket in a namespace, as {@code ss} prints it,
   * except that a JVM's IPv4-mapped form ({@code [::ffff:198.18.1.11]:8080}) is written as IPv4.
   */
  static List<String> listening(String ns) {
    List<String> out = new ArrayList<>();
    for (String line : NetnsLab.exec(ns, "ss", "-Hltn").split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 4) {
        out.add(cols[3].replaceFirst("^\\[::ffff:([0-9.]+)\\]:", "$1:"));
      }
    }
    return out;
  }

  /** The node namespaces whose external interface carries the VIP, asked one by one. */
  List<String> vipHolders() {
    List<String> holders = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      if (NetnsLab.run("ip", "-n", node(i), "addr", "show", "dev", "eth1").contains("inet " + VIP + "/")) {
        holders.add(node(i));
      }
    }
    return holders;
  }

  /**
   * The one node namespace holding the VIP, if the client namespace gets {@code /api/health} through
   * the VIP; null while no namespace, or more than one, holds it or nothing answers.
   */
  String reachableHolder() {
    List<String> holders = vipHolders();
    if (holders.size() != 1) {
      return null;
    }
    return NetnsNode.curl(client(), VIP, "GET", "/api/health", null, null).status() == 200 ? holders.get(0) : null;
  }

  /** The only VIP holder; fails unless exactly one namespace holds it. */
  String holder() {
    List<String> holders = vipHolders();
    if (holders.size() != 1) {
      throw new AssertionError("expected exactly one VIP holder, found " + holders);
    }
    return holders.get(0);
  }

  /**
   * Brings the lab back to three live nodes after a fault: starts again, on its data, every node whose
   * process is gone (killed), then waits until each says UP from the client namespace and one
   * namespace has held the VIP, reachable, for {@code steady}. Lets one lab take several faults in turn.
   */
  void restore(List<NetnsNode> nodes, Duration steady, Duration within) throws java.io.IOException {
    for (NetnsNode n : nodes) {
      if (!n.alive()) {
        n.start();
      }
    }
    for (NetnsNode n : nodes) {
      Await.within(within).every(Duration.ofMillis(500)).until("node-" + n.index + " UP",
          () -> NetnsNode.curl(client(), n.address, "GET", "/api/health", null, null).body().contains("\"UP\""));
    }
    awaitSteadyVipHolder(steady, within);
  }

  /** The node index (1..3) of one of this run's node namespaces. */
  static int indexOf(String nodeNs) {
    return nodeNs.charAt(nodeNs.length() - 1) - '0';
  }

  /** Waits until exactly one namespace (not {@code not}) holds the VIP and the client gets an answer through it. */
  String awaitOneHolderReachable(String not, Duration within) {
    return awaitHolderReachable("exactly one VIP holder" + (not == null ? "" : " other than " + not) + ", reachable",
        within, lab -> lab.vipHolders(), not);
  }

  /** Waits until one namespace other than {@code old} holds the VIP (whatever {@code old} still claims) and the client gets an answer through it. */
  String awaitNewHolderReachable(String old, Duration within) {
    return awaitHolderReachable("a new VIP holder other than " + old + ", reachable", within,
        lab -> lab.vipHolders().stream().filter(h -> !h.equals(old)).toList(), old);
  }

  private String awaitHolderReachable(String what, Duration within, java.util.function.Function<TwoNetworkLab, List<String>> holders,
      String not) {
    // What was last seen, for the failure message: the holders, and whether the client got through.
    String seen = Await.within(within).every(Duration.ofMillis(50)).until(what, () -> {
      List<String> found = holders.apply(this);
      if (found.size() != 1 || found.get(0).equals(not)) {
        return "holders " + found;
      }
      return reachableThroughVip() ? found.get(0) : "holders " + found + ", the client got no answer through the VIP";
    }, h -> !h.startsWith("holders "));
    return seen;
  }

  /** The client gets an answer from a live node through the VIP. */
  boolean reachableThroughVip() {
    return NetnsNode.curl(client(), VIP, "GET", "/api/health", null, null).status() == 200;
  }

  /**
   * Waits until one namespace has held the VIP, reachable from the client, for {@code steady} on end:
   * on a loaded machine a young cluster's leader may still give the VIP up (a stalled event loop).
   */
  String awaitSteadyVipHolder(Duration steady, Duration within) {
    String[] seen = {null};
    long[] since = {0};
    return Await.within(within).every(Duration.ofMillis(200)).until("one VIP holder for " + steady.toMillis() + " ms", () -> {
      String holder = reachableHolder();
      if (!java.util.Objects.equals(holder, seen[0])) {
        seen[0] = holder;
        since[0] = System.nanoTime();
      }
      return holder != null && System.nanoTime() - since[0] >= steady.toNanos() ? holder : null;
    }, h -> h != null);
  }

  /**
   * The admin's session token, logged in from the client namespace. Set-up goes to node 1's own
   * address, which does not move while a young cluster's election settles; what the tests look at
   * goes through the VIP.
   */
  String adminToken() {
    return NetnsNode.curl(client(), external(1), "POST", "/api/auth/login", null,
        new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD)).json().getString("token");
  }

  /** Uploads a song from the client namespace to node 1; its id once every node stores it (replication factor 3). */
  String uploadToEveryNode(String token, Path song, List<NetnsNode> nodes) {
    String upload = NetnsLab.exec(client(), "curl", "-sSk", "-m", "120", "-H", "Authorization: Bearer " + token,
        "-F", "file=@" + song, "https://" + external(1) + ":" + NetnsNode.HTTP_PORT + "/api/songs");
    JsonObject added = new JsonObject(upload).getJsonArray("songs").getJsonObject(0);
    // On each node's own disk: a node without the blob answers a HEAD with 200 too, relaying from a
    // holder, and a kill of the only holder then leaves nothing to resume from.
    Await.within(Duration.ofSeconds(60)).every(Duration.ofMillis(500)).until("song on every node's disk",
        () -> nodes.stream().allMatch(n -> n.holdsBlob(added.getString("sha256"))));
    return added.getString("id");
  }

  /** This run's namespaces that still exist. */
  static List<String> namespacesOf(String tag) {
    return Arrays.stream(NetnsLab.run("ip", "netns", "list").split("\n"))
        .map(l -> l.trim().split("\\s+")[0]).filter(n -> n.startsWith("dsl-" + tag + "-")).toList();
  }

  @Override
  public void close() {
    try {
      script("down");
    } finally {
      turn.close();
    }
  }
}
