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
    Accounts accounts,
    Demo demo,
    Cluster cluster,
    Replication replication,
    Connections connections,
    Requests requests,
    Import importing,
    Ha ha,
    Subsonic subsonic,
    Metrics metrics,
    Catalog catalog) {

  /**
   * The external server. {@code redirectPort} is a plain-HTTP port that only redirects to HTTPS
   * ({@link #NO_REDIRECT} for none, 0 for any free port). {@code trustedProxies}: addresses (or
   * CIDR blocks) whose {@code X-Forwarded-Proto} is believed.
   */
  public record Http(String host, int port, Tls tls, int redirectPort, java.util.List<String> trustedProxies) {
    public static final int NO_REDIRECT = -1;

    public String scheme() {
      return tls.enabled() ? "https" : "http";
    }
  }

  /**
   * TLS at the edge. A PEM pair ({@code certFile} + {@code keyFile}) or a PKCS#12 file; with
   * neither, a self-signed certificate kept in the data directory. Off only behind a reverse
   * proxy that terminates TLS itself.
   */
  public record Tls(boolean enabled, String certFile, String keyFile, String pkcs12File, String pkcs12Password, Engine engine) {
    /** Which TLS implementation encrypts: the JDK's, or OpenSSL's (BoringSSL through netty-tcnative). */
    public enum Engine { JDK, OPENSSL }

    public boolean pem() {
      return certFile != null;
    }

    public boolean pkcs12() {
      return pkcs12File != null;
    }
  }

  /** An empty url means: start the embedded PostgreSQL under the data directory. */
  public record Db(String url, String user, String password, int poolSize, int embeddedPort) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  public record Upload(long maxFileBytes) {}

  /** password null means: generate one at first start and print it once. */
  public record Admin(String username, String password) {}

  /**
   * Sessions and logins. A session ends {@code sessionLifetimeSeconds} after login at the latest,
   * or after {@code sessionIdleSeconds} without use; expired rows are purged every
   * {@code sessionPurgeSeconds}. After {@code loginFreeFailures} wrong passwords an account or a
   * client address waits 1 s, then twice as long after each further failure, up to
   * {@code loginMaxBackoffSeconds}. At most {@code maxPendingHashes} password hashes run or wait at
   * once; a login beyond that is refused at once (503) instead of queued.
   */
  public record Accounts(
      long sessionLifetimeSeconds,
      long sessionIdleSeconds,
      long sessionPurgeSeconds,
      int loginFreeFailures,
      long loginMaxBackoffSeconds,
      int maxPendingHashes) {}

  public record Demo(boolean enabled) {}

  /**
   * Prometheus metrics. {@code enabled}: record them at all (Vert.x's, the JVM's and ours) and serve
   * {@code /metrics} on the internal address. {@code publicEndpoint} ({@code metrics.public}): the
   * external {@code /metrics} answers anyone, not only admins (for a scraper on a network you trust).
   */
  public record Metrics(boolean enabled, boolean publicEndpoint) {}

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
      int maxNoHeartbeatSeconds,
      Trust trust) {

    public int majority() {
      return size / 2 + 1;
    }

    /** More than one configured member: the cluster plane must be authenticated (see {@link Trust}). */
    public boolean clustered() {
      return size > 1;
    }

    /**
     * A cluster of one: size 1 and no member address but this node's own ({@code host:port}, the
     * default). Such a node runs without Hazelcast; growing it means a new config and a restart.
     */
    public boolean alone() {
      String self = host + ":" + port;
      return size == 1 && members.stream().allMatch(self::equals);
    }
  }

  /**
   * What makes a peer a member: the cluster CA ({@code caFile}), this node's certificate and key
   * (mutual TLS on the event bus and the internal API) and the secret Hazelcast cluster name
   * ({@code secretFile}). {@code certsDir} is where a single node with none of these configured
   * makes its own on first start. {@code insecure} (experiments only) runs a cluster without them.
   */
  public record Trust(Path certsDir, Path caFile, Path certFile, Path keyFile, Path secretFile, boolean insecure) {}

  /**
   * How songs are spread over the nodes. {@code factor} 0 means every node holds every song
   * ({@code "all"}); otherwise it is capped at the cluster size. {@code ack}: when an upload is
   * answered. The rest bound replication's share of the machine: {@code maxBytesPerSecond} while
   * nobody is listening on this node, {@code maxBytesPerSecondWhileStreaming} while someone is
   * (copies in and out yield to listeners). {@code enabled} false pauses this
   * node's copying and dropping (maintenance; it still serves, relays and records nothing new).
   */
  public record Replication(
      boolean enabled,
      int factor,
      Ack ack,
      int maxConcurrentCopies,
      long maxBytesPerSecond,
      long maxBytesPerSecondWhileStreaming,
      int graceSeconds,
      long scrubBytesPerSecond,
      long scrubRestSeconds,
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

  /**
   * The Subsonic API. {@code maxTranscodes}: ffmpeg processes this node runs at once for streams
   * asked in another format or bitrate; past it, the original file is served.
   */
  public record Subsonic(int maxTranscodes) {}

  /**
   * The catalog. A node whose library has at least {@code warmUpFromSongs} songs warms its search and
   * list path at start, before it takes requests, for at most {@code warmUpMaxSeconds} (0: never, the
   * default: the start waits for it); see io.dspot.catalog.SearchWarmUp.
   */
  public record Catalog(int warmUpFromSongs, int warmUpMaxSeconds) {}

  /** The folders an admin may import from: absolute, canonical (symlinks resolved), existing or not. */
  public record Import(java.util.List<Path> roots) {

    /** The same, plus {@code dir}: what the command line's {@code --import DIR} is allowed to read. */
    public Import with(Path dir) {
      java.util.List<Path> more = new java.util.ArrayList<>(roots);
      more.add(dir.toAbsolutePath().normalize());
      return new Import(java.util.List.copyOf(more));
    }
  }

  /**
   * The leader and its floating IP. {@code mode}: {@code off} (one node, or clients that know every
   * node), {@code builtin} (the nodes elect a leader, which runs {@code upScript VIP INTERFACE}; a
   * node that stops leading runs {@code downScript VIP INTERFACE}) or {@code keepalived} (keepalived
   * moves the VIP and tells the node). {@code vip} is a CIDR ({@code 198.18.1.100/24}) on the
   * external {@code iface}. Every node polls its peers' {@code /internal/leader} every
   * {@code pollMillis}; a leader silent for {@code leaderTimeoutMillis} is replaced.
   * {@code preferLeader}: a node id that takes leadership back whenever it is live, or empty.
   */
  public record Ha(Mode mode, String vip, String iface, Path upScript, Path downScript, long pollMillis, long leaderTimeoutMillis,
      String preferLeader) {

    public enum Mode { OFF, BUILTIN, KEEPALIVED }

    /** The VIP without its prefix length, as clients and arping use it. */
    public String vipAddress() {
      return vip == null ? null : vip.split("/", 2)[0];
    }
  }

  public NodeConfig withImportRoot(Path dir) {
    return new NodeConfig(nodeId, dataDir, http, db, upload, admin, accounts, demo, cluster, replication, connections, requests, importing.with(dir), ha, subsonic, metrics, catalog);
  }

  public Path blobDir() {
    return dataDir.resolve("blobs");
  }

  public Path postgresDir() {
    return dataDir.resolve("postgres");
  }
}
