package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.LoopbackTls;
import io.dspot.testkit.TestNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node with its defaults (TLS on, self-signed certificate) and a redirect port: what a browser
 * and an attacker on the network see at the edge.
 */
class EdgeTlsTest {

  private static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.builder().set("DSPOT_HTTP_REDIRECT_PORT", "0").start();
  }

  @AfterAll
  static void closeNode() {
    if (node != null) {
      node.close();
    }
  }

  /** Bodies larger than one read go through the piped path under TLS (not sendFile): every byte, both protocols. */
  @Test
  void largeBodiesOverTlsAreByteExactOnHttp11AndHttp2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    byte[] content = io.dspot.testkit.TestAudio.wav(1_500_000, 77L);
    ApiClient admin = new ApiClient(node).asAdmin();
    String id = admin.uploadSong(Files.write(dir.resolve("large.wav"), content)).getString("id");
    for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
      HttpClient client = LoopbackTls.httpClient().version(version).build();
      HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/songs/" + id + "/stream"))
          .header("Authorization", "Bearer " + admin.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.version()).isEqualTo(version);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.headers().firstValue("Content-Length")).as("%s", version).hasValueSatisfying(v -> assertThat(v).isEqualTo("1500000"));
      assertThat(whole.body()).as("%s whole body", version).isEqualTo(content);
      HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/songs/" + id + "/stream"))
          .header("Authorization", "Bearer " + admin.token()).header("Range", "bytes=300000-999999").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 300000-999999/1500000");
      assertThat(range.body()).as("%s range body", version).isEqualTo(java.util.Arrays.copyOfRange(content, 300_000, 1_000_000));
    }
  }

  @Test
  void sessionCookieIsSecureOverTls() {
    ApiClient.Reply login = new ApiClient(node).post("/api/auth/login",
        new io.vertx.core.json.JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD));
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.header("Set-Cookie")).startsWith(Authentication.COOKIE + "=").containsIgnoringCase("; Secure").contains("HTTPOnly");
  }

  @Test
  void everyAnswerCarriesHsts() {
    ApiClient anonymous = new ApiClient(node);
    assertThat(anonymous.get("/api/health").header("Strict-Transport-Security")).isEqualTo(WebVerticle.HSTS);
    assertThat(anonymous.get("/").header("Strict-Transport-Security")).isEqualTo(WebVerticle.HSTS);
    ApiClient.Reply refused = anonymous.get("/api/songs");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Strict-Transport-Security")).isEqualTo(WebVerticle.HSTS);
  }

  @Test
  void generatedCertificateIsWhatTheNodePresentsAndItsKeyIsPrivate() throws Exception {
    var key = EdgeCertificate.generatedKeyFile(node.dataDir());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    X509Certificate onDisk = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(EdgeCertificate.generatedCertFile(node.dataDir())));
    assertThat(fingerprint(presented(node.port()))).isEqualTo(fingerprint(onDisk));
    List<String> names = onDisk.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
    assertThat(names).contains("localhost", "127.0.0.1");
  }

  @Test
  void plainHttpOnTheHttpsPortGetsNoApi() throws Exception {
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    String answer;
    try {
      HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      answer = r.statusCode() + " " + r.body();
    } catch (IOException e) {
      answer = "refused: " + e;
    }
    assertThat(answer).doesNotContain("\"status\"");
  }

  @Test
  void redirectPortSendsGetsToTheSamePathOnHttps() {
    ApiClient.Reply r = plainOnRedirectPort().get("/api/songs?q=aurora&limit=5");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("Location")).isEqualTo("https://127.0.0.1:" + node.port() + "/api/songs?q=aurora&limit=5");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void redirectPortKeepsTheMethodOfAPostAndServesNothing() {
    ApiClient plain = plainOnRedirectPort();
    ApiClient.Reply login = plain.post("/api/auth/login",
        new io.vertx.core.json.JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD));
    assertThat(login.status()).isEqualTo(308);
    assertThat(login.header("Location")).isEqualTo("https://127.0.0.1:" + node.port() + "/api/auth/login");
    assertThat(login.header("Set-Cookie")).isNull();
    assertThat(login.body()).isEmpty();
    // A valid token changes nothing: the plain port never answers from the API or the web player.
    String token = new ApiClient(node).asAdmin().token();
    for (String path : List.of("/api/health", "/api/songs", "/", "/index.html")) {
      ApiClient.Reply r = plainOnRedirectPort().withToken(token).get(path);
      assertThat(r.status()).as(path).isEqualTo(301);
      assertThat(r.body()).as(path).isEmpty();
    }
  }

  @Test
  void redirectPortRefusesARequestWithoutAUsableHost() throws Exception {
    try (Socket socket = LoopbackTls.connect(new Socket(), node.redirectPort(), false)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: evil.example/<x>\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Location");
    }
  }

  private static ApiClient plainOnRedirectPort() {
    assertThat(node.redirectPort()).isPositive();
    return new ApiClient("http://127.0.0.1:" + node.redirectPort());
  }

  /** The certificate the server presents in a real handshake. */
  static X509Certificate presented(int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) LoopbackTls.connect(new Socket(), port, true)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  static String fingerprint(X509Certificate certificate) throws Exception {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }
}
