package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.bus.ServiceException;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PeerClient against tiny HTTP servers on loopback registered as fake internal endpoints (a
 * non-clustered Vert.x, so the registry is local): breakers trip, and the next peer answers.
 */
@ExtendWith(VertxExtension.class)
class PeerClientTest {

  private static final PeerClient.Settings FAST = new PeerClient.Settings(300, 2, 10, 3, 60_000);

  private Vertx vertx;
  private ServiceDiscovery discovery;
  private PeerClient peers;

  /** A fresh Vert.x per test from the extension, which closes it after {@link #tearDown}. */
  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    discovery = ServiceDiscovery.create(vertx);
    peers = new PeerClient(vertx, discovery, "node-self", FAST, io.dspot.testkit.TestCerts.member("unit", "node-self"));
  }

  @AfterEach
  void tearDown() {
    peers.close().await();
    discovery.close();
  }

  @Test
  void peerAnsweringGarbageTripsItsBreakerAndTheNextPeerAnswers() {
    AtomicInteger garbageHits = new AtomicInteger();
    peer("node-a", req -> {
      garbageHits.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end("<html>not json");
    });
    peer("node-b", req -> req.response().end(new JsonObject().put("from", "node-b").put("path", req.uri()).encode()));

    JsonObject first = peers.getJsonFromAny("/internal/events?after=7", reply -> true).await();

    assertThat(first.getString("from")).isEqualTo("node-b");
    assertThat(first.getString("path")).isEqualTo("/internal/events?after=7");
    assertThat(garbageHits.get()).as("one attempt and two retries").isEqualTo(3);
    for (int i = 0; i < 5 && peers.breakerState("node-a") != CircuitBreakerState.OPEN; i++) {
      assertThat(peers.getJsonFromAny("/internal/health", reply -> true).await().getString("from")).isEqualTo("node-b");
    }
    assertThat(peers.breakerState("node-a")).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(peers.breakerState("node-b")).isEqualTo(CircuitBreakerState.CLOSED);

    int hitsWhenOpen = garbageHits.get();
    assertThat(peers.getJsonFromAny("/internal/health", reply -> true).await().getString("from")).isEqualTo("node-b");
    assertThat(garbageHits.get()).as("an open breaker sends nothing").isEqualTo(hitsWhenOpen);
  }

  @Test
  void peerThatNeverAnswersIsPassedOverAfterItsTimeout() {
    peer("node-a", req -> { /* never answers */ });
    peer("node-b", req -> req.response().end(new JsonObject().put("from", "node-b").encode()));

    long started = System.nanoTime();
    JsonObject reply = peers.getJsonFromAny("/internal/health", r -> true).await();

    assertThat(reply.getString("from")).isEqualTo("node-b");
    assertThat((System.nanoTime() - started) / 1_000_000).as("three timed-out attempts, then the next peer").isBetween(800L, 5_000L);
  }

  @Test
  void answerThePredicateRefusesMovesToTheNextPeer() {
    peer("node-a", req -> req.response().end(new JsonObject().put("lastApplied", 3).encode()));
    peer("node-b", req -> req.response().end(new JsonObject().put("lastApplied", 9).encode()));

    JsonObject reply = peers.getJsonFromAny("/internal/status", r -> r.getLong("lastApplied") >= 5).await();

    assertThat(reply.getLong("lastApplied")).isEqualTo(9);
    assertThat(peers.breakerState("node-a")).as("a healthy peer that lacks the data is not a failure").isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void refusalIsReportedWithItsStatusAndDoesNotCountAgainstThePeer() {
    peer("node-a", req -> req.response().setStatusCode(400).end(new JsonObject().put("error", "after must be >= 0").encode()));

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> peers.getJson("node-a", "/internal/events?after=-1").await())
          .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status).isEqualTo(400))
          .hasMessageContaining("after must be >= 0");
    }
    assertThat(peers.breakerState("node-a")).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void noLivePeerIsA503() {
    peer("node-self", req -> req.response().end("{}"));

    assertThatThrownBy(() -> peers.getJson("node-x", "/internal/health").await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status).isEqualTo(503))
        .hasMessageContaining("node-x");
    assertThatThrownBy(() -> peers.getJsonFromAny("/internal/health", r -> true).await())
        .as("this node never asks itself")
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status).isEqualTo(503));
  }

  @Test
  void peerWithoutACertificateFromTheClusterCaIsNeverAsked() {
    AtomicInteger asked = new AtomicInteger();
    java.nio.file.Path foreign = io.dspot.testkit.TestCerts.foreignMember("unit", "planted");
    io.dspot.pki.MemberTls planted = new io.dspot.pki.MemberTls(io.dspot.testkit.TestCerts.member("unit", "peer").caFile(),
        foreign.resolve("planted.crt"), foreign.resolve("planted.key"));
    peer("node-a", planted, req -> {
      asked.incrementAndGet();
      req.response().end(new JsonObject().put("from", "planted").encode());
    });

    assertThatThrownBy(() -> peers.getJson("node-a", "/internal/events?after=0").await())
        .as("a registry entry pointing at a server with a self-made certificate leads nowhere");
    assertThat(asked.get()).as("no request reached it").isZero();
  }

  /** Starts a loopback server and registers it as {@code nodeId}'s internal endpoint. */
  private void peer(String nodeId, Handler<HttpServerRequest> handler) {
    peer(nodeId, io.dspot.testkit.TestCerts.member("unit", "peer"), handler);
  }

  private void peer(String nodeId, io.dspot.pki.MemberTls tls, Handler<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer(tls.applyTo(new io.vertx.core.http.HttpServerOptions())).requestHandler(handler).listen(0, "127.0.0.1").await();
    Endpoint endpoint = new Endpoint(nodeId, "vx-" + nodeId, Endpoint.Kind.INTERNAL, "127.0.0.1", server.actualPort(), null);
    discovery.publish(endpoint.toRecord()).await();
  }
}
