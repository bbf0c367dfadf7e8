package io.dspot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node in its own JVM, started with the real {@code Main}, so a test can kill -9 it (and its
 * embedded PostgreSQL, as a machine crash would) and start it again on the same data.
 */
public final class ProcessNode implements AutoCloseable {

  /** What {@code Main} logs once the node listens; the node binds port 0 and this says which it got. */
  private static final Pattern UP = Pattern.compile("node \\S+ up in \\d+ ms: web player and API on (https?)://[^/]+:(\\d+)/");
  private static final HttpClient HEALTH = LoopbackTls.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();

  private final String nodeId;
  private final Path dataDir;
  private final Path confFile;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();
  private int httpPort;
  private String scheme = "https";
  private Process process;

  public ProcessNode(String nodeId, Path dataDir, String clusterName, int hazelcastPort, List<Integer> memberPorts, int size) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    JsonArray members = new JsonArray();
    memberPorts.forEach(p -> members.add("127.0.0.1:" + p));
    JsonObject conf = new JsonObject()
        .put("node", new JsonObject().put("id", nodeId).put("dataDir", dataDir.toString()))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("db", new JsonObject().put("embeddedPort", Ports.take()))
        .put("admin", new JsonObject().put("username", "admin"))
        .put("demo", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("name", clusterName).put("host", "127.0.0.1").put("port", hazelcastPort)
            .put("members", members).put("size", size).put("internalHttpPort", 0)
            .put("certsDir", TestCerts.forMember(clusterName, nodeId).toString()));
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

  /** An environment-style override (e.g. DSPOT_REPLICATION_FACTOR) for this node's starts. */
  public ProcessNode env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * Later starts listen on the port this start got, as a server behind a fixed address (the VIP)
   * comes back on it: a client that keeps its URL must reach the restarted node.
   */
  public ProcessNode keepPort() {
    try {
      JsonObject conf = new JsonObject(Files.readString(confFile));
      conf.getJsonObject("http").put("port", httpPort);
      Files.writeString(confFile, conf.encodePrettily());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the node listens now (a start binds a fresh port unless {@link #keepPort} pinned it). */
  public String baseUrl() {
    return scheme + "://127.0.0.1:" + httpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * The real {@code Main} in a fresh JVM on the test classpath, with the node config {@code conf}.
   * A test node lives for seconds to minutes: C1 alone ({@code TieredStopAtLevel=1}) and the serial
   * collector spare the shared cores what C2's compiler threads and G1's helpers cost (about half of
   * an idle node's CPU in a test run was C2 compiling).
   */
  public static List<String> mainCommand(Path conf) {
    return new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.dspot.node.Main", "--conf", conf.toString()));
  }

  public ProcessNode start() {
    try {
      Path log = dataDir.resolve("node.log");
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      ProcessBuilder pb = new ProcessBuilder(mainCommand(confFile)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("DSPOT_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
      pb.environment().putAll(env);
      process = pb.start();
      httpPort = Await.within(Duration.ofSeconds(60)).every(Duration.ofMillis(200))
          .until(nodeId + " up and saying on which port", () -> reportedPort(logStart), port -> port > 0);
      Await.within(Duration.ofSeconds(10)).success(nodeId + " healthy at " + baseUrl(), this::healthy);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP port from this start's "node ... up" log line, 0 until then; fails if the JVM exited. */
  private int reportedPort(long logStart) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(nodeId + " exited; its log ends with:\n" + logTail());
    }
    // Bytes as Latin-1: one char per byte, so the byte offset where this start began is a char offset too.
    String log = new String(Files.readAllBytes(dataDir.resolve("node.log")), StandardCharsets.ISO_8859_1);
    Matcher up = UP.matcher(log.substring((int) Math.min(logStart, log.length())));
    if (!up.find()) {
      return 0;
    }
    scheme = up.group(1);
    return Integer.parseInt(up.group(2));
  }

  private boolean healthy() throws IOException, InterruptedException {
    HttpResponse<String> r = HEALTH.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health")).timeout(Duration.ofSeconds(1)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
    }
    return true;
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
    List<ProcessHandle> killed = new ArrayList<>(handle.descendants().toList());
    killed.add(handle);
    killed.forEach(ProcessHandle::destroyForcibly);
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
          killed.add(postmaster);
          killed.addAll(backends);
        });
      }
      // Gone means gone: the ports and the data directory are free when this returns.
      for (ProcessHandle p : killed) {
        p.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * SIGSTOP to the JVM (not to its PostgreSQL): the kernel still accepts connections on its ports
   * and Hazelcast lists it until {@code cluster.maxNoHeartbeatSeconds} pass, but it answers
   * nothing, as a node stuck in a long GC pause or swapping. {@link #thaw} undoes it; so does
   * {@link #close}, which kills it anyway.
   */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze}. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
    // The embedded server wants the node's password (see PostgresLockdown).
    String password = Files.readString(dataDir.resolve("postgres.password")).trim();
    return "jdbc:postgresql://127.0.0.1:" + lines.get(3).trim() + "/postgres?user=postgres&password=" + password;
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
}
