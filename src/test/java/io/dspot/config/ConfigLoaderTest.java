package io.dspot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void shippedDefaultConfigLoads() {
    NodeConfig config = ConfigLoader.load(Path.of("conf/node.json"), Map.of());
    assertThat(config.nodeId()).isEqualTo("node-1");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.db().embedded()).isTrue();
    assertThat(config.demo().enabled()).isTrue();
    assertThat(config.connections()).isEqualTo(new NodeConfig.Connections(120, 20, 0, 256));
    assertThat(config.importing().roots()).containsExactly(config.dataDir().resolve("import"));
    assertThat(config.requests().trustedOrigins()).isEmpty();
  }

  @Test
  void aClusterOfOneIsSizeOneWithNoMemberButItself() throws Exception {
    Path file = Files.writeString(dir.resolve("n.json"), "{\"cluster\":{\"host\":\"10.0.0.5\",\"port\":5801}}");
    assertThat(ConfigLoader.load(Path.of("conf/node.json"), Map.of()).cluster().alone()).as("the shipped default").isTrue();
    NodeConfig.Cluster defaults = ConfigLoader.load(file, Map.of()).cluster();
    assertThat(defaults.members()).containsExactly("10.0.0.5:5801");
    assertThat(defaults.alone()).as("no members given: itself, size 1").isTrue();
    assertThat(ConfigLoader.load(file, Map.of("DSPOT_CLUSTER_SIZE", "2")).cluster().alone()).as("size 2").isFalse();
    assertThat(ConfigLoader.load(file, Map.of("DSPOT_CLUSTER_MEMBERS", "10.0.0.5:5801,10.0.0.6:5801", "DSPOT_CLUSTER_SIZE", "1"))
        .cluster().alone()).as("size 1 but another member to join through").isFalse();
    assertThat(ConfigLoader.load(file, Map.of("DSPOT_CLUSTER_MEMBERS", "10.0.0.6:5801")).cluster().alone())
        .as("size 1, its only member another node").isFalse();
  }

  @Test
  void hardeningKeysAreValidated() throws Exception {
    Path file = Path.of("conf/node.json");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_IMPORT_ROOTS", "music")))
        .hasMessageContaining("import.roots").hasMessageContaining("absolute");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_REQUESTS_TRUSTED_ORIGINS", "https://ok.example/path")))
        .hasMessageContaining("requests.trustedOrigins");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_CONNECTIONS_MAX_PER_ADDRESS", "0")))
        .hasMessageContaining("connections.maxPerAddress");
    NodeConfig config = ConfigLoader.load(file, Map.of("DSPOT_IMPORT_ROOTS", "/srv/music, /mnt/music/",
        "DSPOT_REQUESTS_TRUSTED_ORIGINS", "https://music.example.org"));
    assertThat(config.importing().roots()).containsExactly(Path.of("/srv/music"), Path.of("/mnt/music"));
    assertThat(config.requests().trustedOrigins()).containsExactly("https://music.example.org");
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("n.json"), "{\"http\":{\"port\":9000},\"admin\":{\"username\":\"boss\"}}");
    NodeConfig config = ConfigLoader.load(file, Map.of(
        "DSPOT_HTTP_PORT", "9100", "DSPOT_ADMIN_PASSWORD", "s3cret-pass", "DSPOT_DB_URL", "jdbc:postgresql://db:5432/music",
        "DSPOT_UPLOAD_MAX_FILE_BYTES", "1000", "DSPOT_DEMO_ENABLED", "false"));
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.admin().username()).isEqualTo("boss");
    assertThat(config.admin().password()).isEqualTo("s3cret-pass");
    assertThat(config.db().embedded()).isFalse();
    assertThat(config.upload().maxFileBytes()).isEqualTo(1000);
    assertThat(config.demo().enabled()).isFalse();
  }

  @Test
  void envNamesFollowOneRule() {
    assertThat(ConfigLoader.envName("upload", "maxFileBytes")).isEqualTo("DSPOT_UPLOAD_MAX_FILE_BYTES");
    assertThat(ConfigLoader.envName("node", "dataDir")).isEqualTo("DSPOT_NODE_DATA_DIR");
  }

  @Test
  void badValuesNameTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"), "{\"http\":{\"port\":\"eighty\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_HTTP_PORT", "70000")))
        .hasMessageContaining("http.port").hasMessageContaining("65535");
    Path demo = Files.writeString(dir.resolve("demo.json"), "{\"demo\":{\"enabled\":\"maybe\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(demo, Map.of())).hasMessageContaining("demo.enabled");
    Path section = Files.writeString(dir.resolve("section.json"), "{\"db\": 5}");
    assertThatThrownBy(() -> ConfigLoader.load(section, Map.of())).hasMessageContaining("'db'");
    assertThatThrownBy(() -> ConfigLoader.load(demo, Map.of("DSPOT_DEMO_ENABLED", "true", "DSPOT_CLUSTER_HOST", "0.0.0.0")))
        .as("the internal address is never every interface").hasMessageContaining("cluster.host");
    Path id = Files.writeString(dir.resolve("id.json"), "{\"node\":{\"id\":\"../etc\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(id, Map.of())).hasMessageContaining("node.id");
  }

  @Test
  void accountSettingsHaveSafeDefaultsAndBounds() throws Exception {
    Path file = Files.writeString(dir.resolve("accounts.json"), "{}");
    NodeConfig.Accounts defaults = ConfigLoader.load(file, Map.of()).accounts();
    assertThat(defaults).isEqualTo(new NodeConfig.Accounts(30L * 86_400, 7L * 86_400, 3_600, 5, 900, 8));
    assertThat(ConfigLoader.load(file, Map.of("DSPOT_ACCOUNTS_SESSION_IDLE_SECONDS", "15")).accounts().sessionIdleSeconds()).isEqualTo(15);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_ACCOUNTS_SESSION_IDLE_SECONDS", "5")))
        .hasMessageContaining("accounts.sessionIdleSeconds").hasMessageContaining("between 12 and");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_ACCOUNTS_SESSION_LIFETIME_SECONDS", "3600",
        "DSPOT_ACCOUNTS_SESSION_IDLE_SECONDS", "7200"))).hasMessageContaining("accounts.sessionIdleSeconds")
        .hasMessageContaining("must not be larger than accounts.sessionLifetimeSeconds");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_ACCOUNTS_MAX_PENDING_HASHES", "0")))
        .hasMessageContaining("accounts.maxPendingHashes");
  }

  @Test
  void tlsIsOnByDefaultAndNestedKeysHaveEnvironmentNames() throws Exception {
    assertThat(ConfigLoader.envName("http", "tls.pkcs12File")).isEqualTo("DSPOT_HTTP_TLS_PKCS12_FILE");
    Path file = Files.writeString(dir.resolve("tls.json"), "{\"http\":{\"tls\":{\"certFile\":\"/etc/c.pem\",\"keyFile\":\"/etc/k.pem\"}}}");
    NodeConfig fromFile = ConfigLoader.load(file, Map.of());
    assertThat(fromFile.http().tls().enabled()).isTrue();
    assertThat(fromFile.http().tls().certFile()).isEqualTo("/etc/c.pem");
    assertThat(fromFile.http().redirectPort()).isEqualTo(NodeConfig.Http.NO_REDIRECT);
    NodeConfig off = ConfigLoader.load(file, Map.of("DSPOT_HTTP_TLS_ENABLED", "false", "DSPOT_HTTP_TRUSTED_PROXIES", "10.0.0.1, fd00::/8"));
    assertThat(off.http().tls().enabled()).isFalse();
    assertThat(off.http().scheme()).isEqualTo("http");
    assertThat(off.http().trustedProxies()).containsExactly("10.0.0.1", "fd00::/8");
  }

  @Test
  void badTlsAndProxySettingsNameTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.json"), "{}");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_HTTP_TLS_ENABLED", "false", "DSPOT_HTTP_REDIRECT_PORT", "80")))
        .hasMessageContaining("http.redirectPort");
    for (String bad : new String[] {"proxy.example.org", "10.0.0.300", "10.0.0.0/33", "cafe"}) {
      assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_HTTP_TRUSTED_PROXIES", bad))).as(bad)
          .hasMessageContaining("http.trustedProxies");
    }
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_HTTP_TLS_ENGINE", "gnutls"))).hasMessageContaining("http.tls.engine");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_HTTP_TLS_CERT_FILE", "/c.pem", "DSPOT_HTTP_TLS_KEY_FILE", "/k.pem",
        "DSPOT_HTTP_TLS_PKCS12_FILE", "/s.p12"))).hasMessageContaining("http.tls.pkcs12File");
  }

  @Test
  void unreadableOrInvalidJsonIsReported() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.json"), Map.of())).hasMessageContaining("cannot read");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{ nope");
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of())).hasMessageContaining("not valid JSON");
  }
}
