package io.dspot.testkit;

import io.dspot.node.Node;
import io.dspot.config.ConfigLoader;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real node for tests: its own data directory, embedded PostgreSQL and HTTP port on loopback.
 * Settings go through the same config loader as production, as environment-style overrides.
 */
public final class TestNode implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "admin-test-password";

  private final Path dataDir;
  private final Map<String, String> env;
  private Node node;

  private TestNode(Path dataDir, Map<String, String> env) {
    this.dataDir = dataDir;
    this.env = env;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private final Map<String, String> env = new HashMap<>();
    private Path dataDir;

    private Builder() {
      env.put("DSPOT_HTTP_HOST", "127.0.0.1");
      env.put("DSPOT_HTTP_PORT", "0");
      env.put("DSPOT_ADMIN_PASSWORD", ADMIN_PASSWORD);
      env.put("DSPOT_DEMO_ENABLED", "false");
      env.put("DSPOT_CLUSTER_NAME", "test-" + java.util.UUID.randomUUID());
      env.put("DSPOT_CLUSTER_HOST", "127.0.0.1");
      env.put("DSPOT_CLUSTER_SIZE", "1");
      env.put("DSPOT_CLUSTER_INTERNAL_HTTP_PORT", "0");
    }

    public Builder set(String envName, String value) {
      env.put(envName, value);
      return this;
    }

    public Builder nodeId(String nodeId) {
      return set("DSPOT_NODE_ID", nodeId);
    }

    /** Joins the cluster {@code name}: Hazelcast on {@code hazelcastPort}, TCP-IP join to {@code members}. */
    public Builder cluster(String name, int hazelcastPort, java.util.List<String> members, int size) {
      return set("DSPOT_CLUSTER_NAME", name)
          .set("DSPOT_CLUSTER_PORT", Integer.toString(hazelcastPort))
          .set("DSPOT_CLUSTER_MEMBERS", String.join(",", members))
          .set("DSPOT_CLUSTER_SIZE", Integer.toString(size));
    }

    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /**
     * Starts the node. A node of its own (no {@link #cluster}) takes its Hazelcast and PostgreSQL
     * ports from {@link Ports} and starts again on fresh ones if one was taken meanwhile; a
     * cluster member's ports are its cluster's to choose (and to retry).
     */
    public TestNode start() {
      Path dir;
      try {
        dir = dataDir != null ? dataDir : Files.createTempDirectory("dspot-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      env.put("DSPOT_NODE_DATA_DIR", dir.toString());
      provisionCertificates(env);
      if (env.containsKey("DSPOT_CLUSTER_PORT")) {
        return startWith(dir, env);
      }
      return Ports.retryOnBindConflict("single node in " + dir, () -> {
        Map<String, String> attempt = new HashMap<>(env);
        int hazelcastPort = Ports.take();
        attempt.put("DSPOT_CLUSTER_PORT", Integer.toString(hazelcastPort));
        attempt.put("DSPOT_CLUSTER_MEMBERS", "127.0.0.1:" + hazelcastPort);
        return startWith(dir, attempt);
      });
    }

    /**
     * A member of a cluster gets its certificates from {@link TestCerts} (its cluster's directory,
     * by cluster name), unless the test chose its own or runs the cluster insecure.
     */
    private static void provisionCertificates(Map<String, String> env) {
      boolean clustered = Integer.parseInt(env.getOrDefault("DSPOT_CLUSTER_SIZE", "1")) > 1;
      if (clustered && !env.containsKey(CERTS_DIR) && !"true".equals(env.get("DSPOT_CLUSTER_INSECURE"))) {
        String nodeId = env.getOrDefault("DSPOT_NODE_ID", "test-node");
        env.put(CERTS_DIR, TestCerts.forMember(env.get("DSPOT_CLUSTER_NAME"), nodeId).toString());
      }
    }

    private static TestNode startWith(Path dir, Map<String, String> env) {
      int dbPort = Integer.parseInt(env.computeIfAbsent(DB_PORT, k -> Integer.toString(Ports.take())));
      TestNode t = new TestNode(dir, env);
      try {
        t.startNode();
      } catch (RuntimeException e) {
        throw Ports.markedIfTaken(e, dbPort);
      }
      return t;
    }
  }

  /** The embedded PostgreSQL's port, from {@link Ports}: zonky's port 0 is a socket opened and closed in the temporary range. */
  private static final String DB_PORT = "DSPOT_DB_EMBEDDED_PORT";
  private static final String CERTS_DIR = "DSPOT_CLUSTER_CERTS_DIR";

  private void startNode() {
    JsonObject json = new JsonObject().put("node", new JsonObject().put("id", "test-node"));
    ConfigLoader.applyEnvironment(json, env);
    node = Node.start(ConfigLoader.fromJson(json));
  }

  /**
   * Stops the node cleanly (database included), keeping its data for {@link #startAgain}. Its
   * HTTP port is bound afresh (port 0) on the next start: make new {@link ApiClient}s after it.
   */
  public void stop() {
    if (node != null) {
      node.stop();
      node = null;
    }
  }

  public void startAgain() {
    startNode();
  }

  public boolean running() {
    return node != null;
  }

  /** Stops the node (database included) and starts it again on the same data. */
  public void restart() {
    node.stop();
    startNode();
  }

  public int port() {
    return node.httpPort();
  }

  /** https unless the node was started with DSPOT_HTTP_TLS_ENABLED=false. */
  public String baseUrl() {
    return node.config().http().scheme() + "://127.0.0.1:" + port();
  }

  /** The plain-HTTP redirect port (DSPOT_HTTP_REDIRECT_PORT), -1 when there is none. */
  public int redirectPort() {
    return node.redirectPort();
  }

  public int internalPort() {
    return node.internalPort();
  }

  /** The internal API's base URL: https (mutual TLS) unless the node runs with cluster.insecure. */
  public String internalUrl() {
    return (memberTls() == null ? "http" : "https") + "://127.0.0.1:" + internalPort();
  }

  /** This node's own member certificate, key and CA (as its config names them); null when insecure. */
  public io.dspot.pki.MemberTls memberTls() {
    var trust = node.config().cluster().trust();
    return trust.insecure() ? null : new io.dspot.pki.MemberTls(trust.caFile(), trust.certFile(), trust.keyFile());
  }

  /** A client of this node's internal API that presents this node's own member certificate, as a peer would. */
  public ApiClient internalClient() {
    io.dspot.pki.MemberTls tls = memberTls();
    return tls == null ? new ApiClient(internalUrl()) : new ApiClient(internalUrl(), TestCerts.sslContext(tls));
  }

  public io.vertx.core.Vertx vertx() {
    return node.vertx();
  }

  public String nodeId() {
    return node.config().nodeId();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Node node() {
    return node;
  }

  /** Regular files under blobs/: what is really stored. */
  public long blobCount() {
    try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long tempFileCount() {
    try (Stream<Path> files = Files.list(dataDir.resolve("tmp"))) {
      return files.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (node != null) {
        node.stop();
        node = null;
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
