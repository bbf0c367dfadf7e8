package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.bus.ListenerActivity;
import io.dspot.bus.YieldingBandwidth;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal blob route on a real server on loopback: a copy for a replica goes at full speed
 * while nobody listens here and at the listeners' pace while someone does; a relay for a peer's
 * listener counts as listening (and goes out with sendFile, never paced).
 */
class BlobRoutesTest {

  private static final int SIZE = 2 * 1024 * 1024;
  private static final long WHILE_STREAMING = 1024 * 1024;

  @TempDir
  Path root;

  private final ListenerActivity listeners = new ListenerActivity();
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private byte[] blob;
  private String sha;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    BlobStore blobs = new BlobStore(root).open();
    blob = new byte[SIZE];
    new Random(7).nextBytes(blob);
    sha = blobs.put(blob);
    Router router = Router.router(vertx);
    // As Node builds it: 1 GiB/s idle, here 1 MiB/s while listeners are served.
    new BlobRoutes(vertx, blobs, listeners, new YieldingBandwidth(listeners, 1L << 30, WHILE_STREAMING, System.nanoTime())).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void aReplicaCopyGoesAtFullSpeedWhileNobodyListensAndAtTheListenersPaceWhileSomeoneDoes() {
    get(BlobRoutes.replicaPathOf(sha), "bytes=0-1023"); // warms up the client and server, untimed
    Timed idle = get(BlobRoutes.replicaPathOf(sha), null);
    assertThat(idle.body()).isEqualTo(sha);
    // Faster than the listeners' pace could ever allow (1.9 s), with room for a busy test machine.
    assertThat(idle.millis()).as("idle: sendFile at full speed").isLessThan(1_500);
    assertThat(listeners.begun()).as("a replica copy is not a listener").isZero();

    ListenerActivity.Response listening = listeners.begin(() -> false);
    Timed busy = get(BlobRoutes.replicaPathOf(sha), null);
    Timed rest = get(BlobRoutes.replicaPathOf(sha), "bytes=" + (SIZE / 2) + "-");
    listening.end();

    assertThat(busy.body()).isEqualTo(sha);
    // 2 MiB at 1 MiB/s with a tenth of a second's burst: ~1.9 s.
    assertThat(busy.millis()).as("with a listener: 2 MiB at 1 MiB/s").isGreaterThan(1_500);
    assertThat(rest.status()).isEqualTo(206);
    assertThat(rest.body()).isEqualTo(sha256(Arrays.copyOfRange(blob, SIZE / 2, SIZE)));
  }

  @Test
  void aRelayForAPeersListenerCountsAsListeningHere() throws Exception {
    Timed relay = get(BlobRoutes.pathOf(sha), "bytes=0-" + (SIZE - 1));

    assertThat(relay.body()).isEqualTo(sha);
    // The server's end may come well before the client's last byte on a busy machine: count, not time.
    assertThat(listeners.begun()).as("serving the relay counts as serving a listener").isEqualTo(1);
    for (int i = 0; i < 100 && listeners.inFlight() > 0; i++) {
      Thread.sleep(10);
    }
    assertThat(listeners.inFlight()).as("the relay's response ended").isZero();
  }

  /** The body as its SHA-256, so a failure prints two hashes, not two megabytes. */
  private record Timed(int status, byte[] bytes, long millis) {
    String body() {
      return sha256(bytes);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Timed get(String path, String range) {
    long started = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI(path);
    if (range != null) {
      options.putHeader("Range", range);
    }
    // The body handler goes on in the same event-loop turn as the response arrives, or its first chunks are lost:
    // chained inside the request's callback, on the event loop, not by this thread, which a fast loopback answer
    // can outrun (a clean-clone CI run once got a body missing its first chunks).
    return client.request(options)
        .compose(r -> r.send().compose(response -> response.body().map(body -> new Timed(response.statusCode(), body.getBytes(),
            (System.nanoTime() - started) / 1_000_000))))
        .await();
  }
}
