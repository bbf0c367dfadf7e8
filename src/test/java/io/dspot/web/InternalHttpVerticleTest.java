package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.log.LogRoutes;
import io.dspot.log.LogAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The internal peer API on its own, with fake outbox and ring consumers where a test needs them. */
@ExtendWith(VertxExtension.class)
public class InternalHttpVerticleTest {

  private WebClient client;
  private InternalHttpVerticle internal;

  /** A fresh Vert.x per test from the extension, which also closes it (and the server with it). */
  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx, io.dspot.testkit.TestCerts.member("unit", "node-1").applyTo(new io.vertx.ext.web.client.WebClientOptions()));
    internal = new InternalHttpVerticle("node-7", "127.0.0.1", 0, List.of(new LogRoutes(vertx, "node-7")),
        io.dspot.testkit.TestCerts.member("unit", "node-7"),
        new ConnectionGuard("internal", new io.dspot.config.NodeConfig.Connections(120, 20, 0, 256), 0.25));
    vertx.deployVerticle(internal).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void healthNamesTheNode(VertxTestContext ctx) {
    get("/internal/health").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject()).isEqualTo(internalHealth("node-7"));
      ctx.completeNow();
    })));
  }

  @Test
  void eventsForwardsAfterAndLimitToTheOutbox(Vertx vertx, VertxTestContext ctx) {
    Checkpoint asked = ctx.checkpoint(2);
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.READ_RANGE, m -> m.reply(new JsonObject()
        .put("events", new JsonArray()).put("asked", m.body()))).completion().onComplete(ctx.succeeding(registered -> {
          get("/internal/events?after=41&limit=2").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertThat(r.bodyAsJsonObject().getJsonObject("asked")).isEqualTo(new JsonObject().put("after", 41L).put("limit", 2));
            asked.flag();
          })));
          get("/internal/events?after=0").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertThat(r.bodyAsJsonObject().getJsonObject("asked").getInteger("limit")).isEqualTo(LogRoutes.DEFAULT_EVENT_LIMIT);
            asked.flag();
          })));
        }));
  }

  @Test
  void badEventParametersAre400WithTheParameterNamed(VertxTestContext ctx) {
    Map<String, String> refusals = Map.of(
        "/internal/events", "'after' is required",
        "/internal/events?after=ten", "'after' must be an integer",
        "/internal/events?after=-1", "'after' must be between 0",
        "/internal/events?after=1&limit=0", "'limit' must be between 1 and 10000",
        "/internal/events?after=1&limit=10001", "'limit'");
    Checkpoint refused = ctx.checkpoint(refusals.size());
    refusals.forEach((path, text) -> assertError(ctx, refused, path, 400, text));
  }

  @Test
  void eventsWithoutAnOutboxIs503Json(VertxTestContext ctx) {
    assertError(ctx, ctx.checkpoint(), "/internal/events?after=0", 503, "unavailable");
  }

  @Test
  void statusCombinesWhatAnswersAndNullsTheRest(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.RING_STATUS, m -> m.reply(new JsonObject().put("epoch", 3)))
        .completion()
        .compose(registered -> get("/internal/status"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          JsonObject body = r.bodyAsJsonObject();
          assertThat(body.getString("nodeId")).isEqualTo("node-7");
          assertThat(body.getJsonObject("ring")).isEqualTo(new JsonObject().put("epoch", 3));
          assertThat(body.containsKey("outbox")).isTrue();
          assertThat(body.getValue("outbox")).isNull();
          ctx.completeNow();
        })));
  }

  @Test
  void unknownInternalPathIs404Json(VertxTestContext ctx) {
    assertError(ctx, ctx.checkpoint(), "/internal/nope", 404, "no such internal endpoint");
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return client.get(internal.actualPort(), "127.0.0.1", path).send();
  }

  /** GETs {@code path} and flags {@code answered} once the reply is a JSON error with that status and text. */
  private void assertError(VertxTestContext ctx, Checkpoint answered, String path, int status, String text) {
    get(path).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).as(path).isEqualTo(status);
      assertThat(r.getHeader("Content-Type")).as(path).startsWith("application/json");
      assertThat(r.bodyAsJsonObject().getString("error")).as(path).contains(text);
      answered.flag();
    })));
  }

  /** vertx-health-check's form: the "node" procedure, UP, naming the node. */
  public static JsonObject internalHealth(String nodeId) {
    return new JsonObject().put("status", "UP")
        .put("checks", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "node").put("status", "UP")
            .put("data", new JsonObject().put("nodeId", nodeId))))
        .put("outcome", "UP");
  }
}
