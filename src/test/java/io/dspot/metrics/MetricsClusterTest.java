package io.dspot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In a cluster each node reports its own ordered-log figures and its relay's lag per peer. */
class MetricsClusterTest {

  private static final Await CLUSTER = Await.within(Duration.ofSeconds(60));

  @Test
  void everyNodeReportsItsLogAndItsRelayLagPerNode() {
    try (TestCluster cluster = TestCluster.start(2, Map.of("DSPOT_REPLICATION_ENABLED", "false", "DSPOT_DEMO_ENABLED", "false"))) {
      double commitsBefore = 0;
      for (TestNode node : cluster.nodes()) {
        commitsBefore += Scrape.of(node.internalClient().get("/metrics")).sum("dspot_log_commit_seconds_count");
      }
      for (TestNode node : cluster.nodes()) {
        ApiClient admin = CLUSTER.success("admin logs in on " + node.nodeId(), () -> new ApiClient(node).asAdmin());
        for (int i = 0; i < 3; i++) {
          assertThat(admin.post("/api/playlists", new JsonObject().put("name", node.nodeId() + " list " + i)).status()).isEqualTo(201);
        }
      }

      double commits = 0;
      double lastApplied = -1;
      for (TestNode node : cluster.nodes()) {
        String other = node.nodeId().equals("node-1") ? "node-2" : "node-1";
        Scrape scrape = CLUSTER.until(node.nodeId() + " reports its relay in step with " + other,
            () -> Scrape.of(node.internalClient().get("/metrics")),
            s -> s.series("dspot_log_relay_lag", "node=\"" + other + "\"").size() == 1 && s.sum("dspot_log_relay_lag") == 0
                && s.sum("dspot_log_outbox_backlog") == 0);
        assertThat(scrape.series("dspot_log_relay_lag", "node=\"" + node.nodeId() + "\"")).as("no lag to itself").isEmpty();
        assertThat(scrape.sum("dspot_log_last_applied")).isGreaterThanOrEqualTo(6);
        if (lastApplied >= 0) {
          assertThat(scrape.sum("dspot_log_last_applied")).as("both nodes applied as far").isEqualTo(lastApplied);
        }
        lastApplied = scrape.sum("dspot_log_last_applied");
        assertThat(scrape.series("dspot_log_holding")).hasSize(1);
        // Each node's Vert.x reports into its own registry, though both run in this JVM: three playlists each.
        assertThat(scrape.sum("vertx_http_server_requests_total", "route=\"/api/playlists\"", "code=\"201\"")).isEqualTo(3.0);
        commits += scrape.sum("dspot_log_commit_seconds_count");
      }
      assertThat(commits - commitsBefore).as("commit batches timed across the cluster").isGreaterThanOrEqualTo(1.0);
    }
  }
}
