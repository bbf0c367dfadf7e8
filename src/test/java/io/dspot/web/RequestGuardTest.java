package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery as the probe ran it (a page on another port of the same host posts
 * {@code text/plain} with the admin's cookie), the checks around it, and the browser security
 * headers on every kind of answer.
 */
class RequestGuardTest {

  private static TestNode node;
  private static ApiClient admin;
  private static String cookie;

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    cookie = "dspot_session=" + admin.token();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aCrossOriginTextPlainPostWithTheAdminsCookieIsRefusedAndCreatesNothing() {
    long users = userCount();
    String evilOrigin = "http://127.0.0.1:" + (node.port() == 65535 ? 1 : node.port() + 1); // same site, another port
    ApiClient.Reply forged = browser("POST", "/api/users", newAdmin("mallory"), "Content-Type", "text/plain",
        "Cookie", cookie, "Origin", evilOrigin, "Sec-Fetch-Site", "same-site");
    assertThat(forged.status()).as(forged.text()).isEqualTo(403);
    assertThat(forged.json().getString("error")).contains("cross-origin");
    assertThat(userCount()).isEqualTo(users);
    assertThat(new ApiClient(node).send("POST", "/api/auth/login", "{\"username\":\"mallory\",\"password\":\"mallory-password-1\"}"
        .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").status()).isEqualTo(401);
  }

  @Test
  void eachCheckRefusesOnItsOwn() {
    long users = userCount();
    // Own origin, but not JSON: a "simple" request a foreign page could also send without asking.
    ApiClient.Reply plain = browser("POST", "/api/users", newAdmin("eve1"), "Content-Type", "text/plain", "Cookie", cookie, "Origin", admin.origin());
    assertThat(plain.status()).isEqualTo(415);
    assertThat(plain.json().getString("error")).isEqualTo("expected Content-Type: application/json");
    // JSON, from a foreign origin.
    assertThat(browser("POST", "/api/users", newAdmin("eve2"), "Content-Type", "application/json", "Cookie", cookie,
        "Origin", "http://evil.example").status()).isEqualTo(403);
    // No Origin, but the browser says the request came from another site.
    assertThat(browser("POST", "/api/users", newAdmin("eve3"), "Content-Type", "application/json", "Cookie", cookie,
        "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
    assertThat(browser("DELETE", "/api/users/00000000-0000-0000-0000-000000000000", null, "Cookie", cookie, "Origin", "null").status())
        .isEqualTo(403);
    // A login is no cookie call, but its body must be JSON too.
    assertThat(browser("POST", "/api/auth/login", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain").status()).isEqualTo(415);
    assertThat(userCount()).isEqualTo(users);
  }

  @Test
  void theNodesOwnPagesAndBearerTokenCallsPass() {
    assertThat(browser("POST", "/api/users", newAdmin("own1"), "Content-Type", "application/json; charset=utf-8", "Cookie", cookie,
        "Origin", admin.origin(), "Sec-Fetch-Site", "same-origin").status()).isEqualTo(201);
    assertThat(browser("POST", "/api/users", newAdmin("own2"), "Content-Type", "application/json", "Cookie", cookie,
        "Sec-Fetch-Site", "same-origin").status()).isEqualTo(201);
    // A Bearer token is no ambient credential: an API client's Origin (if any) does not matter.
    assertThat(new ApiClient(node).withToken(admin.token()).send("POST", "/api/users", newAdmin("api1"),
        "Content-Type", "application/json", "Origin", "http://elsewhere.example").status()).isEqualTo(201);
    // A body-less state change needs no content type (the player's logout).
    ApiClient other = new ApiClient(node).asAdmin();
    assertThat(browser("POST", "/api/auth/logout", null, "Cookie", "dspot_session=" + other.token(), "Origin", admin.origin()).status())
        .isEqualTo(204);
  }

  @Test
  void securityHeadersAreOnApiStaticStreamAndErrorAnswers() {
    JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
    ApiClient anonymous = new ApiClient(node);
    assertSecurityHeaders(anonymous.get("/api/health"), 200);
    assertSecurityHeaders(anonymous.get("/"), 200);
    assertSecurityHeaders(anonymous.get("/app/main.js"), 200);
    assertSecurityHeaders(admin.get("/api/songs/" + song.getString("id") + "/stream"), 200);
    assertSecurityHeaders(admin.get("/api/songs/" + song.getString("id") + "/stream", "Range", "bytes=0-99"), 206);
    assertSecurityHeaders(anonymous.get("/api/songs"), 401);
    assertSecurityHeaders(admin.get("/api/nonexistent"), 404);
    assertSecurityHeaders(anonymous.get("/no-such-file.html"), 404);
  }

  private static void assertSecurityHeaders(ApiClient.Reply reply, int status) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(reply.header("Referrer-Policy")).isEqualTo("same-origin");
    assertThat(reply.header("Content-Security-Policy"))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
  }

  /** A request as a browser would send it: no Bearer token, the headers given. */
  private static ApiClient.Reply browser(String method, String path, byte[] body, String... headers) {
    return new ApiClient(node).send(method, path, body, headers);
  }

  private static byte[] newAdmin(String name) {
    return new JsonObject().put("username", name).put("password", name + "-password-1").put("role", "admin").encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long userCount() {
    return admin.get("/api/users").json().getLong("total");
  }
}
