package io.dspot.config;

import java.nio.file.Path;

/** The whole node configuration, validated once at start-up. Each module reads only its own section. */
public record NodeConfig(
    String nodeId,
    Path dataDir,
    Http http,
    Db db,
    Upload upload,
    Admin admin,
    Demo demo,
    Cluster cluster,
    Replication replication,
    Connections connections,
    Requests requests,
    Import importing) {

  public record Http(String host, int port) {}

  /** An empty url means: start the embedded PostgreSQL under the data directory. */
  public record Db(String url, String user, String password, int poolSize, int embeddedPort) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  public record Upload(long maxFileBytes) {}

  /** password null means: generate one at first start and print it once. */
  public record Admin(String username, String password) {}

  public record Demo(boolean enabled) {}

  /**
   * How this node finds and talks to its peers, all on the internal network: Hazelcast on
   * {@code host:port}, the clustered event bus and the internal HTTP API on the same host.
   * {@code size} is the configured cluster size: without a majority of it, no writes.
   */
  public record Cluster(
      String name,
      String host,
      int port,
      java.util.List<String> members,
      int size,
      int eventBusPort,
      int internalHttpPort,
      int heartbeatSeconds,
      int maxNoHeartbeatSeconds) {

    public int majority() {
      return size / 2 + 1;
    }
  }

  /**
   * How songs are spread over the nodes. {@code factor} 0 means every node holds every song
   * ({@code "all"}); otherwise it is capped at the cluster size. {@code ack}: when an upload is
   * answered. The rest bound replication's share of the machine. {@code enabled} false pauses this
   * node's copying and dropping (maintenance; it still serves, relays and records nothing new).
   */
  public record Replication(
      boolean enabled,
      int factor,
      Ack ack,
      int maxConcurrentCopies,
      long maxBytesPerSecond,
      int graceSeconds,
      long scrubBytesPerSecond,
      long minFreeBytes) {

    public enum Ack { LOCAL, QUORUM }

    public static final int ALL = 0;

    /** How many live nodes should hold each song, given {@code clusterSize} configured nodes. */
    public int effectiveFactor(int clusterSize) {
      return factor == ALL ? clusterSize : Math.min(factor, clusterSize);
    }
  }

  /**
   * What one client may hold on the public server (and peers on the internal one): connections
   * idle this long are closed, a request's headers must be complete within
   * {@code headerTimeoutSeconds} of the connection opening (or of the previous answer), and
   * {@code maxTotal} (0 = derived from the file-descriptor limit) and {@code maxPerAddress} cap
   * open connections at accept time.
   */
  public record Connections(int idleTimeoutSeconds, int headerTimeoutSeconds, int maxTotal, int maxPerAddress) {}

  /**
   * Origins, besides the node's own ({@code Host}), whose pages may send cookie-authenticated
   * state changes: e.g. {@code https://music.example.org} when a proxy rewrites {@code Host}.
   */
  public record Requests(java.util.List<String> trustedOrigins) {}

  /** The folders an admin may import from: absolute, canonical (symlinks resolved), existing or not. */
  public record Import(java.util.List<Path> roots) {

    /** The same, plus {@code dir}: what the command line's {@code --import DIR} is allowed to read. */
    public Import with(Path dir) {
      java.util.List<Path> more = new java.util.ArrayList<>(roots);
      more.add(dir.toAbsolutePath().normalize());
      return new Import(java.util.List.copyOf(more));
    }
  }

  public NodeConfig withImportRoot(Path dir) {
    return new NodeConfig(nodeId, dataDir, http, db, upload, admin, demo, cluster, replication, connections, requests, importing.with(dir));
  }

  public Path blobDir() {
    return dataDir.resolve("blobs");
  }

  public Path postgresDir() {
    return dataDir.resolve("postgres");
  }
}
