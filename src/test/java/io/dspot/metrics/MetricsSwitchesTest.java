package io.dspot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import org.junit.jupiter.api.Test;

/** metrics.public opens the external /metrics to anyone; metrics.enabled=false records and serves nothing. */
class MetricsSwitchesTest {

  @Test
  void metricsPublicLetsAnAnonymousScraperIn() {
    try (TestNode node = TestNode.builder().set("DSPOT_METRICS_PUBLIC", "true").set("DSPOT_DEMO_ENABLED", "false").start()) {
      Scrape scrape = Scrape.of(new ApiClient(node).get("/metrics"));
      assertThat(scrape.series("jvm_memory_used_bytes")).isNotEmpty();
    }
  }

  @Test
  void metricsOffAnswerNotFoundWithTheKeyToTurnThemOn() {
    try (TestNode node = TestNode.builder().set("DSPOT_METRICS_ENABLED", "false").set("DSPOT_DEMO_ENABLED", "false").start()) {
      ApiClient.Reply internal = node.internalClient().get("/metrics");
      assertThat(internal.status()).isEqualTo(404);
      assertThat(internal.json().getString("error")).contains("metrics.enabled=false");
      ApiClient.Reply external = new ApiClient(node).asAdmin().get("/metrics");
      assertThat(external.status()).isEqualTo(404);
      assertThat(external.json().getString("error")).contains("metrics.enabled=false");
    }
  }
}
