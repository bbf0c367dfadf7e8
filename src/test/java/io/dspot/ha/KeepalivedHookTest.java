package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.pki.MemberTls;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node takes keepalived's reports: {@code ha/keepalived/notify.sh} reaches
 * {@code POST /internal/ha/keepalived} with the node's own member certificate, bad reports get a
 * 400 that says what is expected, and the public server does not have the route. (A late retry of
 * an older state is refused in KeepalivedFollowerTest, without a node.)
 */
class KeepalivedHookTest {

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void notifyScriptReportsTheStateToTheNode() {
    MemberTls tls = node.memberTls();
    // notify.sh finds the member files by the certs directory layout (CertsDir): <id>.crt, <id>.key, ca.crt.
    assertThat(tls.certFile().getFileName().toString()).isEqualTo(node.nodeId() + ".crt");
    Instant before = Instant.now();

    Shell.Result r = Shell.run("ha/keepalived/notify.sh", "MASTER", node.internalUrl(),
        tls.certFile().getParent().toString(), node.nodeId());
    assertThat(r.exit()).as(r.output()).isZero();

    // Reporting the same state again changes nothing: "since" is still when notify.sh said it.
    JsonObject again = node.internalClient().post(KeepalivedHook.PATH, new JsonObject().put("state", "MASTER")).json();
    assertThat(again.getString("state")).isEqualTo("MASTER");
    assertThat(again.getBoolean("vipHeld")).isTrue();
    assertThat(Instant.parse(again.getString("since"))).isAfterOrEqualTo(before.minusSeconds(1)).isBefore(Instant.now());

    Shell.Result fault = Shell.run("ha/keepalived/notify.sh", "FAULT", node.internalUrl(),
        tls.certFile().getParent().toString(), node.nodeId());
    assertThat(fault.exit()).as(fault.output()).isZero();
    JsonObject now = node.internalClient().post(KeepalivedHook.PATH, new JsonObject().put("state", "FAULT")).json();
    assertThat(now.getBoolean("vipHeld")).isFalse();
  }

  @Test
  void badReportsAreRefusedWithWhatIsExpected() {
    ApiClient internal = node.internalClient();
    for (JsonObject bad : new JsonObject[] {new JsonObject().put("state", "STOP"), new JsonObject().put("state", 1),
        new JsonObject(), new JsonObject().put("state", "master"), new JsonObject().put("state", "MASTER").put("at", "now"),
        new JsonObject().put("state", "BACKUP").put("at", -5)}) {
      ApiClient.Reply reply = internal.post(KeepalivedHook.PATH, bad);
      assertThat(reply.status()).as(bad.encode()).isEqualTo(400);
      assertThat(reply.json().getString("error")).contains("MASTER", "BACKUP", "FAULT");
    }
  }

  @Test
  void thePublicServerHasNoKeepalivedRoute() {
    ApiClient.Reply reply = new ApiClient(node).post(KeepalivedHook.PATH, new JsonObject().put("state", "MASTER"));
    assertThat(reply.status()).isIn(401, 404);
  }
}
