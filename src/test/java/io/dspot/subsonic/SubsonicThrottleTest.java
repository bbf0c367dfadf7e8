package io.dspot.subsonic;

import static io.dspot.subsonic.SubsonicClient.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node of its own: the throttle counts wrong passwords per client address too, and this test's
 * guesses must not slow down the other tests' requests from the same loopback address.
 */
class SubsonicThrottleTest {

  private static final String PASSWORD = "tess-account-password";
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }


  /** Guessing app passwords costs what guessing the account password costs: the web login's throttle. */
  @Test
  void wrongAppPasswordsBackOffLikeWrongLoginsAndTheWebLoginFeelsItToo() {
    ApiClient admin = new ApiClient(node).asAdmin();
    assertThat(admin.post("/api/users", new JsonObject().put("username", "tess").put("password", PASSWORD).put("role", "listener")).status())
        .isEqualTo(201);
    ApiClient tess = new ApiClient(node).login("tess", PASSWORD);
    String appPassword = tess.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", PASSWORD)).json().getString("password");
    SubsonicClient guesser = new SubsonicClient(new ApiClient(node), "tess", "a-wrong-guess-000");
    String lastMessage = null;
    for (int i = 0; i < 8; i++) {
      JsonObject r = response(guesser.json("ping", ""));
      assertThat(r.getJsonObject("error").getInteger("code")).isEqualTo(40);
      lastMessage = r.getJsonObject("error").getString("message");
    }
    assertThat(lastMessage).contains("too many login attempts").contains("retry after");
    // The right app password waits its turn too, and so does the web login of the same account.
    JsonObject refused = response(new SubsonicClient(new ApiClient(node), "tess", appPassword).json("ping", ""));
    assertThat(refused.getJsonObject("error").getString("message")).contains("too many login attempts");
    assertThat(new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "tess").put("password", PASSWORD)).status())
        .isEqualTo(429);
  }
}
