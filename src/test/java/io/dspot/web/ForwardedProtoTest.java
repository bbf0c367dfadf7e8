package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * TLS off (a reverse proxy terminates it): the session cookie is {@code Secure} only when a proxy
 * listed in {@code http.trustedProxies} says the client came over https; anyone else saying so
 * is ignored. The test client connects from 127.0.0.1, which plays the proxy.
 */
class ForwardedProtoTest {

  @Test
  void trustedProxySayingHttpsMakesTheCookieSecureAndPlainDoesNot() {
    try (TestNode node = behindProxy("127.0.0.1/32")) {
      assertThat(node.baseUrl()).startsWith("http://");
      ApiClient.Reply plain = login(node);
      assertThat(plain.header("Set-Cookie")).startsWith(Authentication.COOKIE + "=").doesNotContainIgnoringCase("secure");
      assertThat(plain.header("Strict-Transport-Security")).as("no HSTS without TLS here: the proxy sends it").isNull();
      assertThat(login(node, "X-Forwarded-Proto", "https").header("Set-Cookie")).containsIgnoringCase("; Secure");
      // A chain of proxies: the value our own proxy appended last is the one that counts.
      assertThat(login(node, "X-Forwarded-Proto", "https, http").header("Set-Cookie")).doesNotContainIgnoringCase("secure");
      assertThat(login(node, "X-Forwarded-Proto", "http").header("Set-Cookie")).doesNotContainIgnoringCase("secure");
    }
  }

  @Test
  void untrustedClientSayingHttpsIsIgnored() {
    try (TestNode node = behindProxy("10.0.0.0/8, ::1")) {
      assertThat(login(node, "X-Forwarded-Proto", "https").header("Set-Cookie"))
          .startsWith(Authentication.COOKIE + "=").doesNotContainIgnoringCase("secure");
    }
  }

  private static TestNode behindProxy(String trustedProxies) {
    return TestNode.builder().set("DSPOT_HTTP_TLS_ENABLED", "false").set("DSPOT_HTTP_TRUSTED_PROXIES", trustedProxies).start();
  }

  private static ApiClient.Reply login(TestNode node, String... headers) {
    JsonObject credentials = new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD);
    ApiClient.Reply r = new ApiClient(node).postWithHeaders("/api/auth/login", credentials, headers);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r;
  }
}
