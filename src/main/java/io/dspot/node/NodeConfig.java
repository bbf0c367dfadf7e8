package io.dspot.node;

import java.nio.file.Path;

/** The whole node configuration, validated once at start-up. Each module reads only its own section. */
public record NodeConfig(
    String nodeId,
    Path dataDir,
    Http http,
    Db db,
    Upload upload,
    Admin admin,
    Demo demo) {

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

  public Path blobDir() {
    return dataDir.resolve("blobs");
  }

  public Path postgresDir() {
    return dataDir.resolve("postgres");
  }
}
