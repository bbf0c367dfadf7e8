package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.dspot.config.NodeConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hazelcast's config is written in code; Vert.x's own structures must stay as its XML file declares them. */
class ClusterBootstrapTest {

  @Test
  void vertxsMapsAreConfiguredAsItsDefaultClusterXmlSays() {
    NodeConfig.Cluster cluster = new NodeConfig.Cluster("c", "127.0.0.1", 5701, List.of("127.0.0.1:5701"), 1, 0, 0, 1, 5, null);
    Config ours = ClusterBootstrap.hazelcastConfig(cluster, "secret");
    Config vertx = ConfigUtil.loadConfig(); // reads default-cluster.xml from vertx-hazelcast's jar
    assertThat(vertx.getMultiMapConfigs()).as("the XML declares Vert.x's structures").isNotEmpty();
    vertx.getMultiMapConfigs().forEach((name, multimap) -> assertThat(ours.getMultiMapConfigs().get(name)).as(name).isEqualTo(multimap));
    vertx.getMapConfigs().forEach((name, map) -> assertThat(ours.getMapConfigs().get(name)).as(name).isEqualTo(map));
    assertThat(ours.getMultiMapConfigs().keySet()).isEqualTo(vertx.getMultiMapConfigs().keySet());
    assertThat(ours.getMapConfigs().keySet()).isEqualTo(vertx.getMapConfigs().keySet());
  }
}
