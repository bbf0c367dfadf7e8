package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.dspot.testkit.TestCerts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two scripts keepalived runs: {@code check.sh} passes only on an UP health answer, and
 * {@code notify.sh} tells the node its state over mutual TLS with the node's member certificate.
 * The servers here are stand-ins on loopback (what the scripts send and require is the subject).
 */
class KeepalivedScriptsTest {

  private static final String CHECK = "ha/keepalived/check.sh";
  private static final String NOTIFY = "ha/keepalived/notify.sh";

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void checkPassesOnlyWhenHealthSaysUp() throws IOException {
    String[] status = {"UP"};
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/health", ex -> reply(ex, 200, "{\"status\": \"" + status[0] + "\"}"));
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health";

    assertThat(Shell.run(CHECK, url).exit()).isZero();
    status[0] = "DEGRADED";
    assertThat(Shell.run(CHECK, url).exit()).isEqualTo(1);
    server.stop(0);
    server = null;
    assertThat(Shell.run(CHECK, url).exit()).as("nothing listening").isEqualTo(1);
  }

  @Test
  void aSlowHealthAnswerFailsTheCheckUnlessItsMaxTimeAllowsIt() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/health", ex -> {
      sleepQuietly(1_500);
      reply(ex, 200, "{\"status\":\"UP\"}");
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health";
    assertThat(Shell.run(CHECK, url).exit()).as("the default 0.9 s").isEqualTo(1);
    assertThat(Shell.run(CHECK, "--max-time", "2.9", url).exit()).isZero();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void checkFailsOnAnErrorStatusEvenWithUpInTheBody() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/health", ex -> reply(ex, 503, "{\"status\":\"UP\"}"));
    server.start();
    assertThat(Shell.run(CHECK, "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health").exit()).isEqualTo(1);
  }

  @Test
  void notifyPostsTheStateWithTheMemberCertificate() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    int port = startMutualTlsServer("ka-hooks", seen, 0);
    Path certs = TestCerts.forMember("ka-hooks", "node-1");

    Shell.Result r = Shell.run(NOTIFY, "MASTER", "https://127.0.0.1:" + port, certs.toString(), "node-1");
    assertThat(r.exit()).as(r.output() + seen).isZero();
    long after = System.currentTimeMillis();
    String request = seen.poll(5, TimeUnit.SECONDS);
    assertThat(request).matches("POST /internal/ha/keepalived \\{\"state\":\"MASTER\",\"at\":\\d+\\} from CN=node-1,O=dspot");
    long at = Long.parseLong(request.replaceAll(".*\"at\":(\\d+).*", "$1"));
    assertThat(at).as("when keepalived ran the hook").isBetween(after - 30_000, after);
  }

  @Test
  void notifyAsksAgainUntilTheNodeAnswersAndGivesUpAfterItsDeadline() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    Path certs = TestCerts.forMember("ka-hooks-3", "node-1");
    int port = io.dspot.testkit.Ports.take(1).get(0);
    // The node is not listening yet (a loaded host, a restart): notify.sh keeps asking.
    Process notify = new ProcessBuilder(NOTIFY, "BACKUP", "https://127.0.0.1:" + port, certs.toString(), "node-1")
        .redirectErrorStream(true).start();
    Thread.sleep(1_500);
    startMutualTlsServer("ka-hooks-3", seen, port);
    assertThat(notify.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(notify.exitValue()).as(new String(notify.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(seen.poll(5, TimeUnit.SECONDS)).contains("{\"state\":\"BACKUP\"");
    server.stop(0);
    server = null;

    ProcessBuilder late = new ProcessBuilder(NOTIFY, "FAULT", "https://127.0.0.1:" + port, certs.toString(), "node-1")
        .redirectErrorStream(true);
    late.environment().put("DSPOT_NOTIFY_DEADLINE", "1");
    long started = System.nanoTime();
    Process giveUp = late.start();
    assertThat(giveUp.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(giveUp.exitValue()).isEqualTo(1);
    assertThat(new String(giveUp.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("could not tell node-1", "curl exit 7");
    assertThat((System.nanoTime() - started) / 1_000_000).as("retried about its deadline").isBetween(900L, 8_000L);
  }

  @Test
  void notifyTalksOnlyToAServerItsClusterCaSigned() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    int port = startMutualTlsServer("ka-hooks-2", seen, 0);
    // Certificates from another CA: the script must not hand its state to a server it cannot verify.
    Path rogue = TestCerts.foreignMember("ka-hooks-2", "node-9");

    Shell.Result r = Shell.run(NOTIFY, "BACKUP", "https://127.0.0.1:" + port, rogue.toString(), "node-9");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("could not tell node-9");
    assertThat(seen).isEmpty();
  }

  @Test
  void notifyRejectsAnUnknownStateAndMissingCertificates() {
    Shell.Result bad = Shell.run(NOTIFY, "STOP");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.output()).contains("MASTER, BACKUP or FAULT");

    Shell.Result noCerts = Shell.run(NOTIFY, "FAULT", "https://127.0.0.1:9", "/nonexistent", "node-1");
    assertThat(noCerts.exit()).isEqualTo(1);
    assertThat(noCerts.output()).contains("/nonexistent/ca.crt");
  }

  /** An HTTPS server that requires a client certificate from the cluster CA, recording each request. */
  private int startMutualTlsServer(String cluster, BlockingQueue<String> seen, int port) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(TestCerts.sslContext(TestCerts.member(cluster, "server"))) {
      @Override
      public void configure(HttpsParameters params) {
        // The JDK server only honours client auth through SSLParameters.
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        params.setSSLParameters(ssl);
      }
    });
    https.createContext("/internal/ha/keepalived", ex -> {
      try {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        X509Certificate client = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
        seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body + " from " + client.getSubjectX500Principal().getName());
        reply(ex, 200, "{\"state\":\"ok\"}");
      } catch (IOException | RuntimeException e) {
        seen.add("handler failed: " + e);
        throw e;
      }
    });
    https.start();
    server = https;
    return https.getAddress().getPort();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
