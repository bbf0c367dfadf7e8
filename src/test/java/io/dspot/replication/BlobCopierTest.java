package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.bus.ListenerActivity;
import io.dspot.bus.YieldingBandwidth;
import io.dspot.cluster.Endpoint;
import io.dspot.cluster.PeerClient;
import io.dspot.storage.BlobStore;
import io.dspot.testkit.TestAudio;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * BlobCopier against fake peers on loopback (registered as internal endpoints in a local
 * registry): what a lying, dying or stalling holder does to a copy, and what gets published.
 */
@ExtendWith(VertxExtension.class)
class BlobCopierTest {

  private static final PeerClient.Settings FAST = new PeerClient.Settings(300, 0, 10, 1, 60_000);
  private static final byte[] BLOB = TestAudio.wav(300_000, 7);
  private static final String SHA = HexFormat.of().formatHex(Hashes.sha256().digest(BLOB));

  @TempDir
  Path dir;

  private Vertx vertx;
  private ServiceDiscovery discovery;
  private PeerClient peers;
  private BlobStore blobs;
  private final List<String> rangesAskedOfB = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    discovery = ServiceDiscovery.create(vertx);
    peers = new PeerClient(vertx, discovery, "node-self", FAST, io.dspot.testkit.TestCerts.member("unit", "node-self"));
    blobs = new BlobStore(dir).open();
    peer("node-b", this::serveHonestly);
  }

  @AfterEach
  void tearDown() {
    peers.close().await();
    discovery.close();
  }

  @Test
  void aHolderThatDiesMidwayIsPassedOverAndTheNextResumesFromWhereItStopped() throws Exception {
    int cut = 100_000;
    peer("node-a", req -> {
      req.response().putHeader("X-Blob-Size", Integer.toString(BLOB.length)).putHeader("Content-Length", Integer.toString(BLOB.length));
      // Dies once the first part surely reached the copier's temp file.
      req.response().write(Buffer.buffer(Arrays.copyOf(BLOB, cut))).onComplete(v -> vertx.setTimer(300, t -> req.connection().close()));
    });

    Copied copied = copy();

    assertThat(copied.size()).isEqualTo(BLOB.length);
    assertThat(rangesAskedOfB).containsExactly("bytes=" + cut + "-");
    assertThat(copied.copiedBytes()).as("nothing fetched twice").isEqualTo(BLOB.length);
    assertStoredAndNoTempFile();
  }

  @Test
  void aHolderSendingTheWrongBytesIsReportedAndNothingOfItIsKept() throws Exception {
    byte[] wrong = BLOB.clone();
    wrong[1_000] ^= 0x55;
    peer("node-a", req -> req.response().putHeader("X-Blob-Size", Integer.toString(wrong.length)).end(Buffer.buffer(wrong)));

    copy();

    assertThat(rangesAskedOfB).as("the bad copy is thrown away: the next holder sends it all").containsExactly("whole");
    assertThat(peers.breakerState("node-a")).isEqualTo(CircuitBreakerState.OPEN);
    assertStoredAndNoTempFile();
  }

  @Test
  void aHolderThatStallsOrFailsIsPassedOver() throws Exception {
    peer("node-a", req -> req.response().putHeader("X-Blob-Size", Integer.toString(BLOB.length))
        .putHeader("Content-Length", Integer.toString(BLOB.length)).write(Buffer.buffer(Arrays.copyOf(BLOB, 10))));
    peer("node-c", req -> req.response().setStatusCode(500).end());

    copy("node-c", "node-a", "node-b");

    assertThat(rangesAskedOfB).containsExactly("bytes=10-");
    assertStoredAndNoTempFile();
  }

  private record Copied(long size, long copiedBytes) {}

  private Copied copy(String... sources) throws Exception {
    CompletableFuture<Copied> done = new CompletableFuture<>();
    BlobCopier[] copier = new BlobCopier[1];
    List<String> from = sources.length == 0 ? List.of("node-a", "node-b") : List.of(sources);
    vertx.runOnContext(v -> {
      copier[0] = new BlobCopier(vertx, blobs, peers, 1,
          new YieldingBandwidth(new ListenerActivity(), 100_000_000, 100_000_000, System.nanoTime()), 1_000, (fetch, size) -> done.complete(new Copied(size, copier[0].copiedBytes())));
      copier[0].request(new ReconcilePlan.Fetch(SHA, from, false));
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private void assertStoredAndNoTempFile() throws Exception {
    assertThat(Files.readAllBytes(blobs.pathFor(SHA))).isEqualTo(BLOB);
    try (var temps = Files.list(dir.resolve("tmp"))) {
      assertThat(temps.toList()).isEmpty();
    }
  }

  /** node-b: the real thing, one range or the whole blob, and it notes which. */
  private void serveHonestly(HttpServerRequest req) {
    String range = req.getHeader("Range");
    rangesAskedOfB.add(range == null ? "whole" : range);
    int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    req.response().putHeader("X-Blob-Size", Integer.toString(BLOB.length));
    if (range != null) {
      req.response().setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + (BLOB.length - 1) + "/" + BLOB.length);
    }
    req.response().end(Buffer.buffer(Arrays.copyOfRange(BLOB, from, BLOB.length)));
  }

  private void peer(String nodeId, Handler<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer(io.dspot.testkit.TestCerts.member("unit", "peer").applyTo(new io.vertx.core.http.HttpServerOptions())).requestHandler(handler).listen(0, "127.0.0.1").await();
    Endpoint endpoint = new Endpoint(nodeId, "vx-" + nodeId, Endpoint.Kind.INTERNAL, "127.0.0.1", server.actualPort(), null);
    discovery.publish(endpoint.toRecord()).await();
  }
}
