package io.dspot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.config.ConfigException;
import io.dspot.config.ConfigLoader;
import io.dspot.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which nodes may start with which certificates; everything checked at start, not at the first handshake. */
class ClusterIdentityTest {

  @TempDir
  Path dir;

  private NodeConfig.Cluster cluster(int size, Map<String, String> env) {
    JsonObject json = new JsonObject().put("node", new JsonObject().put("id", "node-1").put("dataDir", dir.resolve("data").toString()))
        .put("cluster", new JsonObject().put("size", size).put("name", "conf-name"));
    ConfigLoader.applyEnvironment(json, env);
    return ConfigLoader.fromJson(json).cluster();
  }

  @Test
  void singleNodeMakesItsOwnIdentityOnFirstStartAndKeepsIt() throws Exception {
    ClusterIdentity first = ClusterIdentity.establish("node-1", cluster(1, Map.of()));

    Path certs = dir.resolve("data").resolve("cluster");
    assertThat(first.insecure()).isFalse();
    assertThat(certs.resolve("node-1.crt")).exists();
    assertThat(first.hazelcastClusterName()).isEqualTo("dspot-" + Files.readString(certs.resolve("secret")).trim())
        .doesNotContain("conf-name");
    String cert = Files.readString(certs.resolve("node-1.crt"));

    ClusterIdentity again = ClusterIdentity.establish("node-1", cluster(1, Map.of()));
    assertThat(again).isEqualTo(first);
    assertThat(Files.readString(certs.resolve("node-1.crt"))).as("a restart reuses what the first start made").isEqualTo(cert);
  }

  @Test
  void singleNodeNeverReplacesACaItHasNoKeyFor() throws Exception {
    Path certs = dir.resolve("certs");
    CertsCommand.run(List.of("init", certs.toString()), System.out, System.err);
    Files.delete(certs.resolve("ca.key"));
    String ca = Files.readString(certs.resolve("ca.crt"));

    assertThatThrownBy(() -> ClusterIdentity.establish("node-1", cluster(1, Map.of("DSPOT_CLUSTER_CERTS_DIR", certs.toString()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("node-1.crt");
    assertThat(Files.readString(certs.resolve("ca.crt"))).isEqualTo(ca);
  }

  @Test
  void clusteredNodeWithoutItsFilesRefusesToStartAndSaysHowToMakeThem() {
    assertThatThrownBy(() -> ClusterIdentity.establish("node-1", cluster(3, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("(cluster.size 3) needs its certificate").hasMessageContaining("certs init").hasMessageContaining("certs node")
        .hasMessageContaining("cluster.insecure");
    assertThat(dir.resolve("data").resolve("cluster")).as("nothing made for a cluster member").doesNotExist();
  }

  @Test
  void clusteredNodeWithCertificatesFromTheToolStarts() {
    Path certs = dir.resolve("certs");
    CertsCommand.run(List.of("init", certs.toString()), System.out, System.err);
    CertsCommand.run(List.of("node", certs.toString(), "node-1"), System.out, System.err);

    ClusterIdentity identity = ClusterIdentity.establish("node-1", cluster(3, Map.of("DSPOT_CLUSTER_CERTS_DIR", certs.toString())));

    assertThat(identity.tls().certFile()).isEqualTo(certs.resolve("node-1.crt"));
    assertThat(identity.tls().caFile()).isEqualTo(certs.resolve("ca.crt"));
  }

  @Test
  void certificateFromAnotherCaOrAnotherKeyIsRefused() throws Exception {
    Path certs = dir.resolve("certs");
    Path other = dir.resolve("other");
    CertsCommand.run(List.of("init", certs.toString()), System.out, System.err);
    CertsCommand.run(List.of("init", other.toString()), System.out, System.err);
    CertsCommand.run(List.of("node", other.toString(), "node-1"), System.out, System.err);
    Files.copy(other.resolve("node-1.crt"), certs.resolve("node-1.crt"));
    Files.copy(other.resolve("node-1.key"), certs.resolve("node-1.key"));
    Map<String, String> env = Map.of("DSPOT_CLUSTER_CERTS_DIR", certs.toString());

    assertThatThrownBy(() -> ClusterIdentity.establish("node-1", cluster(3, env)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not signed by the cluster CA");

    CertsCommand.run(List.of("node", certs.toString(), "node-1"), System.out, System.err);
    Files.copy(other.resolve("node-1.key"), certs.resolve("node-1.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ClusterIdentity.establish("node-1", cluster(3, env)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void weakSecretIsRefused() throws Exception {
    Path certs = dir.resolve("certs");
    CertsCommand.run(List.of("init", certs.toString()), System.out, System.err);
    CertsCommand.run(List.of("node", certs.toString(), "node-1"), System.out, System.err);
    Files.writeString(certs.resolve("secret"), "dspot\n");

    assertThatThrownBy(() -> ClusterIdentity.establish("node-1", cluster(3, Map.of("DSPOT_CLUSTER_CERTS_DIR", certs.toString()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.secretFile");
  }

  @Test
  void insecureRunsWithoutFilesUnderTheConfiguredName() {
    ClusterIdentity identity = ClusterIdentity.establish("node-1", cluster(3, Map.of("DSPOT_CLUSTER_INSECURE", "true")));

    assertThat(identity.insecure()).isTrue();
    assertThat(identity.hazelcastClusterName()).isEqualTo("conf-name");
  }
}
