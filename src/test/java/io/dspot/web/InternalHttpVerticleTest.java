package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.log.LogAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The internal peer API on its own, with fake outbox and ring consumers where a test needs them. */
public class InternalHttpVerticleTest {

  private Vertx vertx;
  private WebClient client;
  private InternalHttpVerticle internal;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    internal = new InternalHttpVerticle("node-7", "127.0.0.1", 0, java.util.List.of(new io.dspot.log.LogRoutes(vertx, "node-7")));
    vertx.deployVerticle(internal).await();
  }

  @AfterEach
  void tearDown() {
    client.close();
    vertx.close().await();
  }

  @Test
  void healthNamesTheNode() {
    HttpResponse<Buffer> r = get("/internal/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject()).isEqualTo(internalHealth("node-7"));
  }

  @Test
  void eventsForwardsAfterAndLimitToTheOutbox() {
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.READ_RANGE, m -> m.reply(new JsonObject()
        .put("events", new io.vertx.core.json.JsonArray()).put("asked", m.body()))).completion().await();

    assertThat(get("/internal/events?after=41&limit=2").bodyAsJsonObject().getJsonObject("asked"))
        .isEqualTo(new JsonObject().put("after", 41L).put("limit", 2));
    assertThat(get("/internal/events?after=0").bodyAsJsonObject().getJsonObject("asked").getInteger("limit"))
        .isEqualTo(io.dspot.log.LogRoutes.DEFAULT_EVENT_LIMIT);
  }

  @Test
  void badEventParametersAre400WithTheParameterNamed() {
    assertError(get("/internal/events"), 400, "'after' is required");
    assertError(get("/internal/events?after=ten"), 400, "'after' must be an integer");
    assertError(get("/internal/events?after=-1"), 400, "'after' must be between 0");
    assertError(get("/internal/events?after=1&limit=0"), 400, "'limit' must be between 1 and 10000");
    assertError(get("/internal/events?after=1&limit=10001"), 400, "'limit'");
  }

  @Test
  void eventsWithoutAnOutboxIs503Json() {
    assertError(get("/internal/events?after=0"), 503, "unavailable");
  }

  @Test
  void statusCombinesWhatAnswersAndNullsTheRest() {
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.RING_STATUS, m -> m.reply(new JsonObject().put("epoch", 3)))
        .completion().await();

    HttpResponse<Buffer> r = get("/internal/status");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("nodeId")).isEqualTo("node-7");
    assertThat(body.getJsonObject("ring")).isEqualTo(new JsonObject().put("epoch", 3));
    assertThat(body.containsKey("outbox")).isTrue();
    assertThat(body.getValue("outbox")).isNull();
  }

  @Test
  void unknownInternalPathIs404Json() {
    assertError(get("/internal/nope"), 404, "no such internal endpoint");
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(internal.actualPort(), "127.0.0.1", path).send().await();
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String text) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).contains(text);
  }

  /** vertx-health-check's form: the "node" procedure, UP, naming the node. */
  public static JsonObject internalHealth(String nodeId) {
    return new JsonObject().put("status", "UP")
        .put("checks", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "node").put("status", "UP")
            .put("data", new JsonObject().put("nodeId", nodeId))))
        .put("outcome", "UP");
  }
}
