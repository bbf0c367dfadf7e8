package io.dspot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node in its own JVM, started with the real {@code Main}, so a test can kill -9 it (and its
 * embedded PostgreSQL, as a machine crash would) and start it again on the same data.
 */
public final class ProcessNode implements AutoCloseable {

  private final String nodeId;
  private final Path dataDir;
  private final Path confFile;
  private final int httpPort;
  private Process process;

  public ProcessNode(String nodeId, Path dataDir, String clusterName, int hazelcastPort, List<Integer> memberPorts, int size) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.httpPort = TestNode.freePort();
    JsonArray members = new JsonArray();
    memberPorts.forEach(p -> members.add("127.0.0.1:" + p));
    JsonObject conf = new JsonObject()
        .put("node", new JsonObject().put("id", nodeId).put("dataDir", dataDir.toString()))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put("admin", new JsonObject().put("username", "admin"))
        .put("demo", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("name", clusterName).put("host", "127.0.0.1").put("port", hazelcastPort)
            .put("members", members).put("size", size).put("internalHttpPort", 0));
    try {
      Files.createDirectories(dataDir);
      this.confFile = Files.writeString(dataDir.resolve("node.json"), conf.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The real {@code Main} in a fresh JVM on the test classpath, with the node config {@code conf}. */
  public static List<String> mainCommand(Path conf) {
    return new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.dspot.node.Main", "--conf", conf.toString()));
  }

  public ProcessNode start() {
    try {
      ProcessBuilder pb = new ProcessBuilder(mainCommand(confFile)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node.log").toFile()));
      pb.environment().put("DSPOT_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
      process = pb.start();
      awaitHealthy(60_000);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy(long timeoutMillis) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    String lastError = "no attempt";
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(nodeId + " exited; its log ends with:\n" + logTail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health")).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        lastError = "status " + r.statusCode() + ": " + r.body();
      } catch (IOException e) {
        lastError = e.toString(); // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException(nodeId + " not healthy at " + baseUrl() + " in time (last: " + lastError + "); its log ends with:\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("node.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL to the JVM and to its PostgreSQL: nothing gets to clean up, as in a power cut. */
  public void kill9() {
    ProcessHandle handle = process.toHandle();
    List<ProcessHandle> children = handle.descendants().toList();
    handle.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      // The postmaster is not the JVM's child (pg_ctl detaches it): find it, and its backends, by its pid file.
      Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle.of(pid).ifPresent(postmaster -> {
          List<ProcessHandle> backends = postmaster.descendants().toList();
          postmaster.destroyForcibly();
          backends.forEach(ProcessHandle::destroyForcibly);
        });
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw new IllegalStateException(e);
    }
    sleep(300);
  }

  /** SIGTERM: the node shuts down cleanly. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          kill9();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public String jdbcUrl() throws IOException {
    // The embedded server writes its port to postmaster.pid (line 4).
    List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
    return "jdbc:postgresql://127.0.0.1:" + lines.get(3).trim() + "/postgres";
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill9();
    }
    try {
      // Kept for a look after a failed run (target/ is the build's scratch space).
      Path keep = Path.of("target", "process-node-logs");
      Files.createDirectories(keep);
      Files.copy(dataDir.resolve("node.log"), keep.resolve(nodeId + "-" + System.currentTimeMillis() + ".log"));
    } catch (IOException ignored) {
      // no log to keep
    }
    try (Stream<Path> walk = Files.walk(dataDir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
