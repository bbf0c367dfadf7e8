package io.dspot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics on one real node: valid Prometheus text, numbers that follow what listeners do, admins only outside, bounded labels. */
class MetricsEndpointTest {

  private static final String STREAM_ROUTE = "route=\"/api/songs/:id/stream\"";
  private static final String APP_PASSWORD = "metrics-scraper-app-password";

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient admin;
  private static ApiClient internal;
  private static JsonObject song;
  private static int songBytes;

  @BeforeAll
  static void nodeWithASong() throws IOException {
    node = TestNode.builder().set("DSPOT_DEMO_ENABLED", "false").start();
    admin = new ApiClient(node).asAdmin();
    internal = node.internalClient();
    songBytes = 300_000;
    song = admin.uploadSong(Files.write(dir.resolve("metrics.wav"), TestAudio.wav(songBytes, 13)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void internalMetricsArePrometheusTextThatPromtoolAccepts() throws Exception {
    Scrape scrape = Scrape.of(internal.get("/metrics"));

    Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(scrape.text().getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as("promtool check metrics said: %s", said).isZero();

    // The figures the issue asks for, each present.
    for (String name : new String[] {"dspot_event_loop_delay_seconds_count", "dspot_log_last_applied", "dspot_log_commit_seconds_count",
        "dspot_log_batch_size_count", "dspot_replication_backlog", "dspot_stream_bytes_total", "dspot_db_pool_size",
        "vertx_http_server_active_connections", "vertx_pool_in_use", "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
        "jvm_threads_live_threads"}) {
      assertThat(scrape.series(name)).as(name).isNotEmpty();
    }
  }

  @Test
  void aGarbageCollectionShowsUpAsAPause() throws InterruptedException {
    // Micrometer makes the pause timer on the first collection it is told of, and a roomy heap
    // may not have collected since the node started: collect (the node runs in this JVM) and
    // wait for the notification, which arrives on its own thread.
    double before = Scrape.of(internal.get("/metrics")).sum("jvm_gc_pause_seconds_count");
    System.gc();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    double after = before;
    while (after <= before && System.nanoTime() < deadline) {
      Thread.sleep(100);
      after = Scrape.of(internal.get("/metrics")).sum("jvm_gc_pause_seconds_count");
    }
    assertThat(after).as("jvm_gc_pause_seconds_count after System.gc()").isGreaterThan(before);
  }

  @Test
  void streamingASongMovesBytesStreamedAndTheStreamRoutesRequestCount() {
    Scrape before = Scrape.of(internal.get("/metrics"));
    ApiClient.Reply streamed = admin.get("/api/songs/" + song.getString("id") + "/stream");
    assertThat(streamed.status()).isEqualTo(200);
    ApiClient.Reply range = admin.get("/api/songs/" + song.getString("id") + "/stream", "Range", "bytes=0-999");
    assertThat(range.status()).isEqualTo(206);

    double sent = streamed.body().length + 1000.0;
    // Counted when each response has ended on the node, which can be a moment after the client read
    // its last byte (CI once scraped before the range's 1,000 bytes were counted).
    Await.within(java.time.Duration.ofSeconds(5)).until("both answers counted", () -> {
      Scrape now = Scrape.of(internal.get("/metrics"));
      return now.sum("dspot_stream_bytes_total") - before.sum("dspot_stream_bytes_total") >= sent
          && now.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"200\"")
          > before.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"200\"")
          && now.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"206\"")
          > before.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"206\"");
    });
    Scrape after = Scrape.of(internal.get("/metrics"));
    assertThat(after.sum("dspot_stream_bytes_total") - before.sum("dspot_stream_bytes_total")).isEqualTo(sent);
    assertThat(after.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"200\"")
        - before.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"200\"")).isEqualTo(1.0);
    assertThat(after.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"206\"")
        - before.sum("vertx_http_server_requests_total", STREAM_ROUTE, "code=\"206\"")).isEqualTo(1.0);
    assertThat(after.series("vertx_http_server_response_time_seconds_bucket", STREAM_ROUTE, "le=\"0.1\"")).isNotEmpty();
  }

  @Test
  void subsonicStreamsAndDownloadsCountAsStreamedBytes() {
    setAdminAppPassword();
    String id = "tr-" + song.getString("id");
    ApiClient app = new ApiClient(node);
    Scrape before = Scrape.of(internal.get("/metrics"));
    ApiClient.Reply range = app.get("/rest/stream?" + subsonicQuery("id=" + id), "Range", "bytes=100-599");
    assertThat(range.status()).isEqualTo(206);
    ApiClient.Reply download = app.get("/rest/download.view?" + subsonicQuery("id=" + id));
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.header("Content-Disposition")).startsWith("attachment");
    // An unknown song answers a Subsonic error document, which is not a song's bytes.
    ApiClient.Reply unknown = app.get("/rest/stream?" + subsonicQuery("id=tr-" + java.util.UUID.randomUUID()));
    assertThat(unknown.text()).contains("failed");

    Scrape after = Scrape.of(internal.get("/metrics"));
    assertThat(after.sum("dspot_stream_bytes_total") - before.sum("dspot_stream_bytes_total"))
        .isEqualTo(500.0 + download.body().length);
    assertThat(download.body()).hasSize(song.getInteger("size"));
  }

  @Test
  void madeUpHttpMethodsShareOneSeries() {
    Scrape before = Scrape.of(internal.get("/metrics"));
    for (int i = 0; i < 50; i++) {
      new ApiClient(node).send("MADEUP" + i, "/api/songs", new byte[0]);
    }
    Scrape after = Scrape.of(internal.get("/metrics"));
    assertThat(after.text()).doesNotContain("MADEUP");
    assertThat(after.sum("vertx_http_server_requests_total", "method=\"other\"") - before.sum("vertx_http_server_requests_total", "method=\"other\""))
        .isEqualTo(50.0);
  }

  @Test
  void aStreamThatFailsCountsNoSongBytes() {
    Scrape before = Scrape.of(internal.get("/metrics"));
    assertThat(admin.get("/api/songs/no-such-song/stream").status()).isBetween(400, 404);
    Scrape after = Scrape.of(internal.get("/metrics"));
    assertThat(after.sum("dspot_stream_bytes_total")).isEqualTo(before.sum("dspot_stream_bytes_total"));
  }

  @Test
  void externalMetricsAreRefusedToAnonymousCallersAndToListeners() {
    ApiClient.Reply anonymous = new ApiClient(node).get("/metrics");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("error")).contains("admin");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");

    String name = "metrics-listener";
    assertThat(admin.post("/api/users", new JsonObject().put("username", name).put("password", "listener-password-1").put("role", "listener"))
        .status()).isEqualTo(201);
    ApiClient.Reply listener = new ApiClient(node).login(name, "listener-password-1").get("/metrics");
    assertThat(listener.status()).isEqualTo(403);
    assertThat(listener.json().getString("error")).contains("only an admin");
    assertThat(listener.text()).doesNotContain("jvm_");
  }

  @Test
  void externalMetricsAnswerAnAdminBySessionOrByBasicWithTheAppPassword() {
    Scrape bySession = Scrape.of(admin.get("/metrics"));
    assertThat(bySession.series("dspot_stream_bytes_total")).isNotEmpty();

    setAdminAppPassword();
    Scrape byBasic = Scrape.of(new ApiClient(node).get("/metrics", "Authorization", basic("admin", APP_PASSWORD)));
    assertThat(byBasic.series("jvm_memory_used_bytes")).isNotEmpty();

    ApiClient.Reply wrong = new ApiClient(node).get("/metrics", "Authorization", basic("admin", "not-the-app-password"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).doesNotContain("jvm_");
    ApiClient.Reply garbled = new ApiClient(node).get("/metrics", "Authorization", "Basic %%%not-base64");
    assertThat(garbled.status()).isEqualTo(400);
    assertThat(garbled.json().getString("error")).contains("base64");
  }

  @Test
  void aThousandDistinctUnknownPathsDoNotMakeAThousandSeries() {
    Scrape before = Scrape.of(internal.get("/metrics"));
    ApiClient anonymous = new ApiClient(node);
    for (int i = 0; i < 250; i++) {
      anonymous.get("/api/made-up-" + i);
      admin.get("/api/made-up-" + i);
      admin.get("/api/songs/" + java.util.UUID.randomUUID() + "/stream");
      anonymous.get("/no-such-page-" + i + ".html");
    }
    Scrape after = Scrape.of(internal.get("/metrics"));
    int requestSeries = after.series("vertx_http_server_requests_total").size();
    assertThat(requestSeries - before.series("vertx_http_server_requests_total").size())
        .as("new request series after 1,000 distinct paths:%n%s", String.join("\n", after.series("vertx_http_server_requests_total")))
        .isLessThan(10);
    assertThat(after.text()).doesNotContain("made-up-").doesNotContain("no-such-page-");
    assertThat(after.text().lines().count()).isLessThan(before.text().lines().count() + 200);
  }

  private static void setAdminAppPassword() {
    assertThat(admin.put("/api/account/subsonic-password",
        new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD).put("password", APP_PASSWORD)).status()).isEqualTo(200);
  }

  /** A Subsonic app's query as the admin: token = md5(app password + salt). */
  private static String subsonicQuery(String params) {
    try {
      String salt = Long.toHexString(System.nanoTime());
      byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest((APP_PASSWORD + salt).getBytes(StandardCharsets.UTF_8));
      return "u=admin&t=" + java.util.HexFormat.of().formatHex(md5) + "&s=" + salt + "&v=1.16.1&c=metrics-test&" + params;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
