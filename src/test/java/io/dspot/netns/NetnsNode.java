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

  final int index;
  final String ns;
  final String address;
  private final Path confFile;
  private Process process;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();

  NetnsNode(int index, String ns, Path dataDir, String clusterName, int hosts) {
    this.index = index;
    this.ns = ns;
    this.address = NetnsLab.address(index);
    JsonArray members = new JsonArray();
    for (int i = 1; i <= hosts; i++) {
      members.add(NetnsLab.address(i) + ":5701");
    }
    JsonObject conf = new JsonObject()
        .put("node", new JsonObject().put("id", "node-" + index).put("dataDir", dataDir.toString()))
        .put("http", new JsonObject().put("host", address).put("port", HTTP_PORT))
        .put("demo", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("name", clusterName).put("host", address).put("port", 5701)
            .put("members", members).put("size", hosts).put("internalHttpPort", 8081).put("maxNoHeartbeatSeconds", 4)
            .put("certsDir", io.dspot.testkit.TestCerts.forMember(clusterName, "node-" + index, address).toString()));
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
    // -k: the node's self-signed certificate (made at its first start) is what this test expects.
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "-m", "8", "-X", method, "-w", "\n%{http_code}"));
    if (token != null) {
      cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    if (body != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body.encode()));
    }
    cmd.add("https://" + address + ":" + HTTP_PORT + path);
    String out;
    try {
      List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
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
