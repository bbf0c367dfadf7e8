package io.dspot.security;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;

/**
 * Calls the public API from a chosen loopback source address (127.0.0.2, 127.0.0.3...), as
 * clients on different machines would: the JDK's HttpClient cannot choose its source address.
 * Follows the node's base URL, HTTPS included (trusting the node's own certificate, as tests do).
 */
final class FromAddress implements AutoCloseable {

  record Reply(int status, String retryAfter, JsonObject json) {}

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final URI base;

  FromAddress(String baseUrl, String sourceAddress) {
    base = URI.create(baseUrl);
    boolean tls = "https".equals(base.getScheme());
    // A pool as large as the flood, so 32 threads really send 32 logins at once.
    client = WebClient.create(vertx, new WebClientOptions()
        .setLocalAddress(sourceAddress)
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false)
        .setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
        .setConnectTimeout((int) Duration.ofSeconds(5).toMillis()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  Reply login(String username, String password) {
    return send(HttpMethod.POST, "/api/auth/login", new JsonObject().put("username", username).put("password", password));
  }

  Reply send(HttpMethod method, String path, JsonObject body) {
    HttpResponse<io.vertx.core.buffer.Buffer> r = client.request(method, path).timeout(60_000).sendJsonObject(body).await();
    JsonObject json = r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
    return new Reply(r.statusCode(), r.getHeader("Retry-After"), json);
  }

  @Override
  public void close() {
    client.close();
    vertx.close().await();
  }
}
