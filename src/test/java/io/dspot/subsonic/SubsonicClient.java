package io.dspot.subsonic;

import io.dspot.testkit.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/** Calls /rest/ as a Subsonic app does: u, t = md5(app password + s), s, v, c, f. */
final class SubsonicClient {

  private final ApiClient http;
  private final String username;
  private final String appPassword;

  SubsonicClient(ApiClient http, String username, String appPassword) {
    this.http = http;
    this.username = username;
    this.appPassword = appPassword;
  }

  /** The credentials, then {@code params} (name=value&..., already encoded) as the query string. */
  String query(String params) {
    String salt = UUID.randomUUID().toString().substring(0, 12);
    return "u=" + encode(username) + "&t=" + md5(appPassword + salt) + "&s=" + salt + "&v=1.16.1&c=dspot-test"
        + (params.isEmpty() ? "" : "&" + params);
  }

  ApiClient.Reply get(String method, String params) {
    return http.get("/rest/" + method + "?" + query(params));
  }

  ApiClient.Reply json(String method, String params) {
    return get(method, params.isEmpty() ? "f=json" : params + "&f=json");
  }

  /** The subsonic-response of a JSON answer, which is always HTTP 200, errors included. */
  static io.vertx.core.json.JsonObject response(ApiClient.Reply reply) {
    org.assertj.core.api.Assertions.assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json().getJsonObject("subsonic-response");
  }

  /** The Subsonic error code of a failed JSON answer. */
  static int errorCode(ApiClient.Reply reply) {
    io.vertx.core.json.JsonObject r = response(reply);
    org.assertj.core.api.Assertions.assertThat(r.getString("status")).as(reply.text()).isEqualTo("failed");
    return r.getJsonObject("error").getInteger("code");
  }

  static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
