package io.dspot.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the node's JSON config file, lets environment variables override it and validates the
 * result into a {@link NodeConfig}. Every leaf key {@code section.someKey} can be overridden by
 * {@code DSPOT_SECTION_SOME_KEY} (e.g. {@code http.port} by {@code DSPOT_HTTP_PORT},
 * {@code admin.password} by {@code DSPOT_ADMIN_PASSWORD}).
 *
 * <p>vertx-config's {@link ConfigRetriever} reads the two stores (the file, then the environment
 * limited to the names above, as raw strings) and merges them; this class only maps the flat
 * environment names onto their sections and validates. It runs once in {@code main}, before the
 * clustered Vert.x exists (that one is built from this config), on a small Vert.x of its own.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** The file, overridden by this process's environment. */
  public static NodeConfig load(Path file) {
    return read(file, new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", new JsonArray(knownEnvNames()))));
  }

  /** The file, overridden by {@code env} instead of the process environment (tests, tools). */
  public static NodeConfig load(Path file, Map<String, String> env) {
    JsonObject given = new JsonObject();
    knownEnvNames().stream().filter(env::containsKey).forEach(name -> given.put(name, env.get(name)));
    return read(file, new ConfigStoreOptions().setType("json").setConfig(given));
  }

  private static NodeConfig read(Path file, ConfigStoreOptions overrides) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("--conf", "cannot read " + file + ": no such readable file");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    try {
      ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
          .setIncludeDefaultStores(false)
          .setScanPeriod(-1)
          .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", file.toString())))
          .addStore(overrides));
      JsonObject merged;
      try {
        merged = retriever.getConfig().await();
      } finally {
        retriever.close();
      }
      Map<String, String> env = new HashMap<>();
      for (String name : knownEnvNames()) {
        Object value = merged.remove(name);
        if (value != null) {
          env.put(name, value.toString());
        }
      }
      applyEnvironment(merged, env);
      return fromJson(merged);
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      if (causedBy(e, DecodeException.class)) {
        throw new ConfigException("--conf", file + " is not valid JSON: " + rootMessage(e));
      }
      throw new ConfigException("--conf", "cannot read " + file + ": " + rootMessage(e));
    } finally {
      vertx.close().await();
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static List<String> knownEnvNames() {
    return java.util.Arrays.stream(KNOWN_KEYS).map(k -> envName(k[0], k[1])).toList();
  }

  /** Environment names for every key the node knows, so overrides work even if the file omits a section. */
  static final String[][] KNOWN_KEYS = {
    {"node", "id"}, {"node", "dataDir"},
    {"http", "host"}, {"http", "port"}, {"http", "redirectPort"}, {"http", "trustedProxies"},
    {"http", "tls.enabled"}, {"http", "tls.certFile"}, {"http", "tls.keyFile"}, {"http", "tls.pkcs12File"},
    {"http", "tls.pkcs12Password"}, {"http", "tls.engine"},
    {"db", "url"}, {"db", "user"}, {"db", "password"}, {"db", "poolSize"}, {"db", "embeddedPort"},
    {"upload", "maxFileBytes"},
    {"admin", "username"}, {"admin", "password"},
    {"accounts", "sessionLifetimeSeconds"}, {"accounts", "sessionIdleSeconds"}, {"accounts", "sessionPurgeSeconds"},
    {"accounts", "loginFreeFailures"}, {"accounts", "loginMaxBackoffSeconds"}, {"accounts", "maxPendingHashes"},
    {"demo", "enabled"},
    {"cluster", "name"}, {"cluster", "host"}, {"cluster", "port"}, {"cluster", "members"}, {"cluster", "size"},
    {"cluster", "eventBusPort"}, {"cluster", "internalHttpPort"}, {"cluster", "heartbeatSeconds"},
    {"cluster", "maxNoHeartbeatSeconds"}, {"cluster", "certsDir"}, {"cluster", "caFile"}, {"cluster", "certFile"},
    {"cluster", "keyFile"}, {"cluster", "secretFile"}, {"cluster", "insecure"},
    {"replication", "enabled"}, {"replication", "factor"}, {"replication", "ack"}, {"replication", "maxConcurrentCopies"},
    {"replication", "maxBytesPerSecond"}, {"replication", "maxBytesPerSecondWhileStreaming"}, {"replication", "graceSeconds"}, {"replication", "scrubBytesPerSecond"},
    {"replication", "scrubRestSeconds"}, {"replication", "minFreeBytes"},
    {"connections", "idleTimeoutSeconds"}, {"connections", "headerTimeoutSeconds"}, {"connections", "maxTotal"},
    {"connections", "maxPerAddress"},
    {"requests", "trustedOrigins"},
    {"import", "roots"},
    {"ha", "mode"}, {"ha", "vip"}, {"ha", "interface"}, {"ha", "upScript"}, {"ha", "downScript"}, {"ha", "pollMillis"},
    {"ha", "leaderTimeoutMillis"}, {"ha", "preferLeader"},
    {"subsonic", "maxTranscodes"},
    {"metrics", "enabled"}, {"metrics", "public"},
    {"catalog", "warmUpFromSongs"}, {"catalog", "warmUpMaxSeconds"},
  };

  /** A dotted key is a nested object: {@code http.tls.certFile} is {@code DSPOT_HTTP_TLS_CERT_FILE}. */
  public static String envName(String section, String key) {
    return "DSPOT_" + section.toUpperCase() + "_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  public static void applyEnvironment(JsonObject json, Map<String, String> env) {
    for (String[] k : KNOWN_KEYS) {
      String value = env.get(envName(k[0], k[1]));
      if (value != null) {
        String[] path = (k[0] + "." + k[1]).split("\\.");
        JsonObject parent = json;
        for (int i = 0; i < path.length - 1; i++) {
          JsonObject child = parent.getJsonObject(path[i]);
          if (child == null) {
            child = new JsonObject();
            parent.put(path[i], child);
          }
          parent = child;
        }
        parent.put(path[path.length - 1], value);
      }
    }
  }

  public static NodeConfig fromJson(JsonObject json) {
    Section node = new Section(json, "node");
    Section http = new Section(json, "http");
    Section db = new Section(json, "db");
    Section upload = new Section(json, "upload");
    Section admin = new Section(json, "admin");
    Section accounts = new Section(json, "accounts");
    Section demo = new Section(json, "demo");
    Section cluster = new Section(json, "cluster");
    Section replication = new Section(json, "replication");
    Section connections = new Section(json, "connections");
    Section requests = new Section(json, "requests");
    Section importing = new Section(json, "import");
    Section ha = new Section(json, "ha");
    Section subsonic = new Section(json, "subsonic");
    Section metrics = new Section(json, "metrics");
    Section catalog = new Section(json, "catalog");

    String nodeId = node.string("id", "node-1");
    if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException("node.id", "must be 1-64 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
    }
    Path dataDir = Path.of(node.string("dataDir", "data/" + nodeId));
    return new NodeConfig(
        nodeId,
        dataDir.toAbsolutePath().normalize(),
        httpOf(http),
        new NodeConfig.Db(
            db.string("url", ""),
            db.string("user", "postgres"),
            db.string("password", ""),
            db.integer("poolSize", 8, 1, 200),
            db.integer("embeddedPort", 0, 0, 65535)),
        new NodeConfig.Upload(upload.longValue("maxFileBytes", 500L * 1024 * 1024, 1, Long.MAX_VALUE)),
        new NodeConfig.Admin(admin.string("username", "admin"), admin.string("password", null)),
        accountsOf(accounts),
        new NodeConfig.Demo(demo.bool("enabled", true)),
        clusterOf(cluster, nodeId, dataDir.toAbsolutePath().normalize()),
        replicationOf(replication),
        new NodeConfig.Connections(
            connections.integer("idleTimeoutSeconds", 120, 1, 86_400),
            connections.integer("headerTimeoutSeconds", 20, 1, 3_600),
            connections.integer("maxTotal", 0, 0, 10_000_000),
            connections.integer("maxPerAddress", 256, 1, 10_000_000)),
        new NodeConfig.Requests(originsOf(requests)),
        new NodeConfig.Import(importRootsOf(importing, dataDir.toAbsolutePath().normalize())),
        haOf(ha),
        new NodeConfig.Subsonic(subsonic.integer("maxTranscodes", 2, 0, 64)),
        new NodeConfig.Metrics(metrics.bool("enabled", true), metrics.bool("public", false)),
        new NodeConfig.Catalog(catalog.integer("warmUpFromSongs", 0, 0, Integer.MAX_VALUE), catalog.integer("warmUpMaxSeconds", 10, 0, 600)));
  }

  private static final String IPV4_CIDR = "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)/(3[0-2]|[12]?\\d)";

  private static NodeConfig.Ha haOf(Section ha) {
    String modeName = ha.string("mode", "off");
    NodeConfig.Ha.Mode mode;
    try {
      mode = NodeConfig.Ha.Mode.valueOf(modeName.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("ha.mode", "must be off, builtin or keepalived, got '" + modeName + "'");
    }
    String vip = ha.string("vip", null);
    String iface = ha.string("interface", null);
    if (mode != NodeConfig.Ha.Mode.OFF) {
      if (vip == null || !vip.matches(IPV4_CIDR)) {
        throw new ConfigException("ha.vip", "must be the floating IP as an IPv4 CIDR such as 198.18.1.100/24, got '" + vip + "'");
      }
      if (iface == null || !iface.matches("[A-Za-z0-9._@-]{1,15}")) {
        throw new ConfigException("ha.interface", "must name the external network interface (e.g. eth1), got '" + iface + "'");
      }
    }
    long poll = ha.longValue("pollMillis", 200, 20, 60_000);
    long timeout = ha.longValue("leaderTimeoutMillis", 600, 50, 600_000);
    if (timeout <= poll) {
      throw new ConfigException("ha.leaderTimeoutMillis", "must be longer than ha.pollMillis (" + poll + "), got " + timeout);
    }
    String prefer = ha.string("preferLeader", "");
    return new NodeConfig.Ha(mode, vip, iface,
        ha.path("upScript", Path.of("ha/vip-up.sh")).toAbsolutePath().normalize(),
        ha.path("downScript", Path.of("ha/vip-down.sh")).toAbsolutePath().normalize(),
        poll, timeout, prefer.isBlank() ? null : prefer);
  }

  private static java.util.List<String> originsOf(Section requests) {
    java.util.List<String> origins = requests.list("trustedOrigins", java.util.List.of());
    for (String origin : origins) {
      if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:_-]+")) {
        throw new ConfigException("requests.trustedOrigins", "each must be scheme://host[:port] without a path, got '" + origin + "'");
      }
    }
    return origins;
  }

  /** Default: {@code <dataDir>/import}. Roots must be absolute: a relative one would depend on the working directory. */
  private static java.util.List<Path> importRootsOf(Section importing, Path dataDir) {
    java.util.List<String> given = importing.list("roots", java.util.List.of(dataDir.resolve("import").toString()));
    java.util.List<Path> roots = new java.util.ArrayList<>();
    for (String root : given) {
      Path path = Path.of(root);
      if (!path.isAbsolute()) {
        throw new ConfigException("import.roots", "each root must be an absolute path, got '" + root + "'");
      }
      roots.add(path.normalize());
    }
    return java.util.List.copyOf(roots);
  }

  private static NodeConfig.Accounts accountsOf(Section accounts) {
    long lifetime = accounts.longValue("sessionLifetimeSeconds", 30L * 86_400, 60, 366L * 86_400);
    // Nodes cache a resolved session for up to 10 s each; an idle timeout below that would not hold.
    long idle = accounts.longValue("sessionIdleSeconds", 7L * 86_400, 12, 366L * 86_400);
    if (idle > lifetime) {
      throw new ConfigException("accounts.sessionIdleSeconds", "must not be larger than accounts.sessionLifetimeSeconds (" + lifetime + ")");
    }
    return new NodeConfig.Accounts(lifetime, idle,
        accounts.longValue("sessionPurgeSeconds", 3_600, 1, 86_400),
        accounts.integer("loginFreeFailures", 5, 1, 100),
        accounts.longValue("loginMaxBackoffSeconds", 900, 1, 86_400),
        accounts.integer("maxPendingHashes", 8, 1, 1_000));
  }

  private static NodeConfig.Http httpOf(Section http) {
    String host = http.string("host", "0.0.0.0");
    NodeConfig.Tls tls = tlsOf(http);
    int redirectPort = http.integer("redirectPort", NodeConfig.Http.NO_REDIRECT, NodeConfig.Http.NO_REDIRECT, 65535);
    if (redirectPort != NodeConfig.Http.NO_REDIRECT && !tls.enabled()) {
      throw new ConfigException("http.redirectPort", "redirects to HTTPS, so it needs http.tls.enabled; remove it or turn TLS on");
    }
    java.util.List<String> proxies = http.listOrEmpty("trustedProxies");
    proxies.forEach(ConfigLoader::checkAddressBlock);
    return new NodeConfig.Http(host, http.integer("port", 8080, 0, 65535), tls, redirectPort, proxies);
  }

  /** An IPv4/IPv6 address, optionally with a /prefix; never a host name (nothing is looked up). */
  private static void checkAddressBlock(String entry) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(?:/(\\d{1,3}))?").matcher(entry);
    boolean valid = m.matches() && (m.group(1).contains(":")
        || java.util.Arrays.stream(m.group(1).split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255));
    if (valid) {
      try {
        int bits = java.net.InetAddress.getByName(m.group(1)).getAddress().length * 8;
        valid = m.group(2) == null || Integer.parseInt(m.group(2)) <= bits;
      } catch (java.net.UnknownHostException e) {
        valid = false;
      }
    }
    if (!valid) {
      throw new ConfigException("http.trustedProxies", "each entry must be an IP address or CIDR block (no host names), got '" + entry + "'");
    }
  }

  private static NodeConfig.Tls tlsOf(Section http) {
    String certFile = http.string("tls.certFile", null);
    String keyFile = http.string("tls.keyFile", null);
    String pkcs12File = http.string("tls.pkcs12File", null);
    certFile = certFile == null || certFile.isBlank() ? null : certFile;
    keyFile = keyFile == null || keyFile.isBlank() ? null : keyFile;
    pkcs12File = pkcs12File == null || pkcs12File.isBlank() ? null : pkcs12File;
    if ((certFile == null) != (keyFile == null)) {
      throw new ConfigException(certFile == null ? "http.tls.certFile" : "http.tls.keyFile",
          "a PEM certificate needs both http.tls.certFile and http.tls.keyFile");
    }
    if (certFile != null && pkcs12File != null) {
      throw new ConfigException("http.tls.pkcs12File", "configure either a PEM pair (http.tls.certFile/keyFile) or a PKCS#12 file, not both");
    }
    String engine = http.string("tls.engine", "openssl").trim().toUpperCase(java.util.Locale.ROOT);
    if (!engine.equals("JDK") && !engine.equals("OPENSSL")) {
      throw new ConfigException("http.tls.engine", "must be 'jdk' or 'openssl', got '" + engine.toLowerCase(java.util.Locale.ROOT) + "'");
    }
    return new NodeConfig.Tls(http.bool("tls.enabled", true), certFile, keyFile, pkcs12File,
        http.string("tls.pkcs12Password", ""), NodeConfig.Tls.Engine.valueOf(engine));
  }

  private static NodeConfig.Replication replicationOf(Section replication) {
    String factor = replication.string("factor", "3").trim();
    int copies;
    if (factor.equalsIgnoreCase("all")) {
      copies = NodeConfig.Replication.ALL;
    } else {
      copies = replication.integer("factor", 3, 1, 99);
    }
    String ack = replication.string("ack", "local").trim().toLowerCase(java.util.Locale.ROOT);
    if (!ack.equals("local") && !ack.equals("quorum")) {
      throw new ConfigException("replication.ack", "must be 'local' or 'quorum', got '" + ack + "'");
    }
    return new NodeConfig.Replication(
        replication.bool("enabled", true),
        copies,
        ack.equals("local") ? NodeConfig.Replication.Ack.LOCAL : NodeConfig.Replication.Ack.QUORUM,
        replication.integer("maxConcurrentCopies", 2, 1, 64),
        // Idle: as fast as the disk and the network go; listeners present: a trickle (see YieldingBandwidth).
        replication.longValue("maxBytesPerSecond", 1024L * 1024 * 1024, 1024, Long.MAX_VALUE),
        replication.longValue("maxBytesPerSecondWhileStreaming", 8L * 1024 * 1024, 1024, Long.MAX_VALUE),
        replication.integer("graceSeconds", 30, 0, 86_400),
        replication.longValue("scrubBytesPerSecond", 4L * 1024 * 1024, 0, Long.MAX_VALUE),
        // A pass right after another kept a small library's node re-hashing all the time (~4 % of a core idle).
        replication.longValue("scrubRestSeconds", 3_600, 1, 30L * 86_400),
        replication.longValue("minFreeBytes", 256L * 1024 * 1024, 0, Long.MAX_VALUE));
  }

  private static NodeConfig.Cluster clusterOf(Section cluster, String nodeId, Path dataDir) {
    String host = cluster.string("host", "127.0.0.1");
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      // Hazelcast, the event bus and the internal peer API bind here: never every interface.
      throw new ConfigException("cluster.host", "must be this node's address on the internal network, not the wildcard " + host);
    }
    int port = cluster.integer("port", 5701, 1, 65535);
    java.util.List<String> members = cluster.list("members", java.util.List.of(host + ":" + port));
    for (String member : members) {
      if (!member.matches("[A-Za-z0-9.:\\[\\]_-]+:\\d{1,5}")) {
        throw new ConfigException("cluster.members", "each member must be host:port, got '" + member + "'");
      }
    }
    // members are the addresses to join through; size is how many nodes the cluster should have.
    int size = cluster.integer("size", members.size(), 1, 99);
    int heartbeat = cluster.integer("heartbeatSeconds", 1, 1, 60);
    int maxNoHeartbeat = cluster.integer("maxNoHeartbeatSeconds", 5, 2, 600);
    if (maxNoHeartbeat <= heartbeat) {
      throw new ConfigException("cluster.maxNoHeartbeatSeconds", "must be larger than cluster.heartbeatSeconds");
    }
    String name = cluster.string("name", "dspot");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException("cluster.name", "must be 1-64 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    return new NodeConfig.Cluster(name, host, port, members, size,
        cluster.integer("eventBusPort", 0, 0, 65535),
        cluster.integer("internalHttpPort", 0, 0, 65535),
        heartbeat, maxNoHeartbeat, trustOf(cluster, nodeId, dataDir));
  }

  /**
   * Each file defaults to its place in {@code cluster.certsDir} (the layout {@code certs init} and
   * {@code certs node} write), which defaults to {@code <dataDir>/cluster}.
   */
  private static NodeConfig.Trust trustOf(Section cluster, String nodeId, Path dataDir) {
    Path dir = Path.of(cluster.string("certsDir", dataDir.resolve("cluster").toString())).toAbsolutePath().normalize();
    return new NodeConfig.Trust(dir,
        cluster.path("caFile", dir.resolve("ca.crt")),
        cluster.path("certFile", dir.resolve(nodeId + ".crt")),
        cluster.path("keyFile", dir.resolve(nodeId + ".key")),
        cluster.path("secretFile", dir.resolve("secret")),
        cluster.bool("insecure", false));
  }

  /** One section of the file; values may be JSON-typed or strings (from the environment). */
  private static final class Section {
    private final JsonObject json;
    private final String name;

    Section(JsonObject root, String name) {
      this.json = sectionOf(root, name);
      this.name = name;
    }

    private static JsonObject sectionOf(JsonObject root, String name) {
      Object value = root.getValue(name);
      if (value == null) {
        return new JsonObject();
      }
      if (!(value instanceof JsonObject section)) {
        throw new ConfigException(name, "must be a JSON object");
      }
      return section;
    }

    /** A dotted key reads a nested object ({@code tls.enabled} in {@code http}). */
    private Object valueOf(String key) {
      Object value = json;
      for (String part : key.split("\\.")) {
        if (value == null) {
          return null;
        }
        if (!(value instanceof JsonObject object)) {
          throw new ConfigException(name + "." + key, "must be inside a JSON object");
        }
        value = object.getValue(part);
      }
      return value;
    }

    /** Like {@link #list} but absent or blank means none. */
    java.util.List<String> listOrEmpty(String key) {
      Object value = valueOf(key);
      if (value == null || (value instanceof String s && s.isBlank())
          || (value instanceof io.vertx.core.json.JsonArray a && a.isEmpty())) {
        return java.util.List.of();
      }
      return list(key, java.util.List.of());
    }

    String string(String key, String fallback) {
      Object value = valueOf(key);
      if (value == null) {
        return fallback;
      }
      if (value instanceof JsonObject || value instanceof io.vertx.core.json.JsonArray) {
        throw new ConfigException(name + "." + key, "must be a string");
      }
      return value.toString();
    }

    Path path(String key, Path fallback) {
      String value = string(key, null);
      if (value != null && value.isBlank()) {
        throw new ConfigException(name + "." + key, "must be a file path, got an empty string");
      }
      return value == null ? fallback : Path.of(value).toAbsolutePath().normalize();
    }

    /** A JSON array of strings, or (from the environment) one comma-separated string. */
    java.util.List<String> list(String key, java.util.List<String> fallback) {
      Object value = valueOf(key);
      if (value == null) {
        return fallback;
      }
      java.util.List<String> out = new java.util.ArrayList<>();
      if (value instanceof io.vertx.core.json.JsonArray array) {
        for (Object o : array) {
          if (!(o instanceof String s)) {
            throw new ConfigException(name + "." + key, "must be a list of strings");
          }
          out.add(s.trim());
        }
      } else if (value instanceof String s) {
        for (String part : s.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
      } else {
        throw new ConfigException(name + "." + key, "must be a list of strings");
      }
      if (out.isEmpty()) {
        throw new ConfigException(name + "." + key, "must not be empty");
      }
      return java.util.List.copyOf(out);
    }

    long longValue(String key, long fallback, long min, long max) {
      Object value = valueOf(key);
      if (value == null) {
        return fallback;
      }
      long parsed;
      try {
        parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(name + "." + key, "must be an integer, got '" + value + "'");
      }
      if (parsed < min || parsed > max) {
        throw new ConfigException(name + "." + key, "must be between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    }

    int integer(String key, int fallback, int min, int max) {
      return (int) longValue(key, fallback, min, max);
    }

    boolean bool(String key, boolean fallback) {
      Object value = valueOf(key);
      if (value == null) {
        return fallback;
      }
      if (value instanceof Boolean b) {
        return b;
      }
      return switch (value.toString().trim().toLowerCase()) {
        case "true", "yes", "1", "on" -> true;
        case "false", "no", "0", "off" -> false;
        default -> throw new ConfigException(name + "." + key, "must be true or false, got '" + value + "'");
      };
    }
  }
}
