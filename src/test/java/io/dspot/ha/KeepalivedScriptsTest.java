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
  void checkFailsOnAnErrorStatusEvenWithUpInTheBody() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/health", ex -> reply(ex, 503, "{\"status\":\"UP\"}"));
    server.start();
    assertThat(Shell.run(CHECK, "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health").exit()).isEqualTo(1);
  }

  @Test
  void notifyPostsTheStateWithTheMemberCertificate() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    int port = startMutualTlsServer("ka-hooks", seen);
    Path certs = TestCerts.forMember("ka-hooks", "node-1");

    Shell.Result r = Shell.run(NOTIFY, "MASTER", "https://127.0.0.1:" + port, certs.toString(), "node-1");
    assertThat(r.exit()).as(r.output() + seen).isZero();
    assertThat(seen.poll(5, TimeUnit.SECONDS))
        .isEqualTo("POST /internal/ha/keepalived {\"state\":\"MASTER\"} from CN=node-1,O=dspot");
  }

  @Test
  void notifyTalksOnlyToAServerItsClusterCaSigned() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    int port = startMutualTlsServer("ka-hooks-2", seen);
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
  private int startMutualTlsServer(String cluster, BlockingQueue<String> seen) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
