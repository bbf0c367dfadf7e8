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
    Replication replication) {

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

  public Path blobDir() {
    return dataDir.resolve("blobs");
  }

  public Path postgresDir() {
    return dataDir.resolve("postgres");
  }
}
