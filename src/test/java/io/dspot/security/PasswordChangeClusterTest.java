package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password change or reset is an ordered event: every node ends the other sessions, including
 * sessions it had just resolved and remembers, and every node knows the new password.
 */
class PasswordChangeClusterTest {

  private static final Await CLUSTER = Await.within(Duration.ofSeconds(60));

  @Test
  void aPasswordChangeEndsTheOtherSessionsOnEveryNodeAndAResetEndsTheRest() {
    try (TestCluster cluster = TestCluster.start(3)) {
      List<TestNode> nodes = cluster.nodes();
      ApiClient admin = new ApiClient(nodes.get(0)).asAdmin();
      assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password")).status()).isEqualTo(201);
      ApiClient[] sessions = new ApiClient[3];
      for (int i = 0; i < 3; i++) {
        int n = i;
        sessions[i] = CLUSTER.success("lena logs in on node " + (n + 1), () -> new ApiClient(nodes.get(n)).login("lena", "lena-password"));
      }
      // Every session used on every node, so every node has every session in memory.
      for (ApiClient session : sessions) {
        for (TestNode node : nodes) {
          assertThat(on(node, session).get("/api/auth/me").status()).isEqualTo(200);
        }
      }

      ApiClient.Reply changed = sessions[0].put("/api/auth/password",
          new JsonObject().put("oldPassword", "lena-password").put("newPassword", "lena-changed-password"));
      assertThat(changed.status()).as(changed.text()).isEqualTo(204);
      for (TestNode node : nodes) {
        for (int i = 1; i < 3; i++) {
          ApiClient other = on(node, sessions[i]);
          CLUSTER.until("session " + (i + 1) + " ended on " + node.nodeId(), () -> other.get("/api/auth/me").status() == 401);
        }
        assertThat(on(node, sessions[0]).get("/api/auth/me").status()).as("the changer's session on %s", node.nodeId()).isEqualTo(200);
        CLUSTER.until("the new password works on " + node.nodeId(), () -> login(node, "lena-changed-password") == 200);
        assertThat(login(node, "lena-password")).isEqualTo(401);
      }

      String lenaId = sessions[0].get("/api/auth/me").json().getString("id");
      ApiClient adminOnTwo = new ApiClient(nodes.get(1)).asAdmin();
      assertThat(adminOnTwo.put("/api/users/" + lenaId + "/password", new JsonObject().put("password", "lena-reset-password")).status())
          .isEqualTo(204);
      for (TestNode node : nodes) {
        ApiClient changer = on(node, sessions[0]);
        CLUSTER.until("the reset ended lena's last session on " + node.nodeId(), () -> changer.get("/api/auth/me").status() == 401);
        CLUSTER.until("the reset password works on " + node.nodeId(), () -> login(node, "lena-reset-password") == 200);
      }
    }
  }

  private static ApiClient on(TestNode node, ApiClient session) {
    return new ApiClient(node).withToken(session.token());
  }

  private static int login(TestNode node, String password) {
    return new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "lena").put("password", password)).status();
  }
}
