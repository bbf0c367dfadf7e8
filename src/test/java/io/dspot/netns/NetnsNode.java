package io.dspot.netns;

import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A node process inside a network namespace of a {@link NetnsLab}, reached with curl from inside it. */
final class NetnsNode {

  static final int HTTP_PORT = 8080;

  static final int HAZELCAST_PORT = 5701;
  static final int EVENT_BUS_PORT = 5801;
  static final int INTERNAL_PORT = 8081;

  final int index;
  final String ns;
  /** Where the public API listens ({@code http.host}). */
  final String address;
  /** Where Hazelcast, the event bus and the internal API listen ({@code cluster.host}). */
  final String internalAddress;
  /** Its member certificate's directory ({@code ca.crt}, {@code node-N.crt}, {@code node-N.key}), e.g. for keepalived's notify.sh. */
  final Path certsDir;
  private final Path dataDir;
  private final Path confFile;
  private Process process;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();

  /** One network: the public API and the cluster plane share the node's only address. */
  NetnsNode(int index, String ns, Path dataDir, String clusterName, int hosts) {
    this(index, ns, dataDir, clusterName, hosts, NetnsLab::address, NetnsLab.address(index), new JsonObject());
  }

  /**
   * @param internal the internal address of node {@code i} (the members list is built from it)
   * @param extra further config sections (e.g. {@code ha}), merged over the base config
   */
  NetnsNode(int index, String ns, Path dataDir, String clusterName, int hosts,
      java.util.function.IntFunction<String> internal, String external, JsonObject extra) {
    this.index = index;
    this.ns = ns;
    this.address = external;
    this.internalAddress = internal.apply(index);
    this.dataDir = dataDir;
    this.certsDir = io.dspot.testkit.TestCerts.forMember(clusterName, "node-" + index, internalAddress);
    JsonArray members = new JsonArray();
    for (int i = 1; i <= hosts; i++) {
      members.add(internal.apply(i) + ":" + HAZELCAST_PORT);
    }
    JsonObject conf = new JsonObject()
        .put("node", new JsonObject().put("id", "node-" + index).put("dataDir", dataDir.toString()))
        .put("http", new JsonObject().put("host", address).put("port", HTTP_PORT))
        .put("demo", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("name", clusterName).put("host", internalAddress).put("port", HAZELCAST_PORT)
            .put("members", members).put("size", hosts).put("eventBusPort", EVENT_BUS_PORT)
            .put("internalHttpPort", INTERNAL_PORT).put("maxNoHeartbeatSeconds", 4)
            .put("certsDir", certsDir.toString()))
        .mergeIn(extra, true);
    try {
      Files.createDirectories(dataDir);
      confFile = Files.writeString(dataDir.resolve("node.json"), conf.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An environment-style override (e.g. DSPOT_HA_MODE) for this node's starts. */
  NetnsNode env(String name, String value) {
    env.put(name, value);
    return this;
  }

  NetnsNode start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(io.dspot.testkit.ProcessNode.mainCommand(confFile));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(confFile.resolveSibling("node.log").toFile()));
    pb.environment().put("DSPOT_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
    pb.environment().putAll(env);
    process = pb.start();
    return this;
  }

  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** An HTTP call from inside this node's namespace; status 0 when nothing answered. */
  Reply call(String method, String path, String token, JsonObject body) {
    return curl(ns, address, method, path, token, body);
  }

  /** An HTTP call from inside namespace {@code fromNs} to the public port of {@code host} (a node's or the VIP). */
  static Reply curl(String fromNs, String host, String method, String path, String token, JsonObject body) {
    // -k: the node's self-signed certificate (made at its first start) is what this test expects.
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "-m", "8", "-X", method, "-w", "\n%{http_code}"));
    if (token != null) {
      cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    if (body != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body.encode()));
    }
    cmd.add("https://" + host + ":" + HTTP_PORT + path);
    String out;
    try {
      List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", fromNs));
      full.addAll(cmd);
      Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
    } catch (IOException e) {
      return new Reply(0, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, "interrupted");
    }
    int cut = out.lastIndexOf('\n');
    int status;
    try {
      status = Integer.parseInt(out.substring(cut + 1).trim());
    } catch (NumberFormatException e) {
      status = 0;
    }
    return new Reply(status, cut < 0 ? "" : out.substring(0, cut));
  }

  /** Whether this node's own blob store holds the blob (a HEAD through its API answers 200 from a relay too). */
  boolean holdsBlob(String sha256) {
    return Files.isRegularFile(new io.dspot.storage.BlobStore(dataDir).pathFor(sha256));
  }

  /** Keeps the node's log under target/ for a look after a failed run. */
  void keepLog() {
    try {
      Path keep = Path.of("target", "netns-node-logs");
      Files.createDirectories(keep);
      Files.copy(confFile.resolveSibling("node.log"), keep.resolve("node-" + index + "-" + System.currentTimeMillis() + ".log"));
    } catch (IOException ignored) {
      // nothing to keep
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }
}
