package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Relay lag is counted from what this node committed, per other member, from the statuses the log answers. */
class StatusGaugesTest {

  private static final JsonObject RING = new JsonObject().put("node", "node-1").put("members", new JsonArray(List.of("node-1", "node-2", "node-3")));

  @Test
  void aMemberBehindThisNodesCommitsLagsByTheEventsItHasNotAcknowledged() {
    JsonObject outbox = new JsonObject().put("lastApplied", 40).put("appliedBy", new JsonObject().put("node-1", 30).put("node-2", 30).put("node-3", 24));
    assertThat(lags(outbox)).isEqualTo(Map.of("node-2", 0L, "node-3", 6L));
  }

  @Test
  void eventsThisNodeAppliedFromOthersAreNotLag() {
    // node-1 committed up to 12, then applied node-2's events up to 40: node-2 is not 28 behind.
    JsonObject outbox = new JsonObject().put("lastApplied", 40).put("appliedBy", new JsonObject().put("node-1", 12).put("node-2", 12).put("node-3", 12));
    assertThat(lags(outbox)).isEqualTo(Map.of("node-2", 0L, "node-3", 0L));
  }

  @Test
  void aMemberThatNeverAcknowledgedLagsByEverythingThisNodeCommitted() {
    JsonObject outbox = new JsonObject().put("lastApplied", 5).put("appliedBy", new JsonObject().put("node-1", 5).put("node-2", 5));
    assertThat(lags(outbox)).isEqualTo(Map.of("node-2", 0L, "node-3", 5L));
  }

  private static Map<String, Long> lags(JsonObject outbox) {
    return StatusGauges.relayLag(RING, outbox);
  }
}
