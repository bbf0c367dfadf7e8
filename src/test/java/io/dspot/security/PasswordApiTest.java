package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.CapturedLog;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Choosing, changing and resetting passwords; one account per name whatever its case. */
class PasswordApiTest {

  private static TestNode node;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String create(String username, String password) {
    ApiClient.Reply r = admin.post("/api/users", new JsonObject().put("username", username).put("password", password));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static ApiClient.Reply changeOwn(ApiClient who, String oldPassword, String newPassword) {
    return who.put("/api/auth/password", new JsonObject().put("oldPassword", oldPassword).put("newPassword", newPassword));
  }

  private static int loginStatus(String username, String password) {
    return new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", username).put("password", password)).status();
  }

  @Test
  void shortRepeatedAndCommonPasswordsAreRefusedWithClearMessages() {
    record Case(String password, String message) {}
    for (Case c : new Case[] {
        new Case("password", "password must be at least 10 characters"),
        new Case("        ", "password must be at least 10 characters"),
        new Case("aaaaaaaaaaaa", "password must not be one character repeated"),
        new Case("qwertyuiop", "password is on the list of commonly used passwords; choose another"),
        new Case("weak-user-1", "password must not be the username"),
    }) {
      ApiClient.Reply r = admin.post("/api/users", new JsonObject().put("username", "weak-user-1").put("password", c.password()));
      assertThat(r.status()).as(c.password()).isEqualTo(400);
      assertThat(r.json().getString("error")).isEqualTo(c.message());
    }
    ApiClient.Reply notAString = admin.post("/api/users", new JsonObject().put("username", "weak-user-1").put("password", 1234567890L));
    assertThat(notAString.status()).isEqualTo(400);
    assertThat(loginStatus("weak-user-1", "qwertyuiop")).isEqualTo(401);
  }

  @Test
  void usernamesAreOneAccountWhateverTheirCase() {
    create("alice", "alice-password");
    for (String clash : new String[] {"Alice", "ALICE"}) {
      ApiClient.Reply r = admin.post("/api/users", new JsonObject().put("username", clash).put("password", "another-password"));
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.json().getString("error")).isEqualTo("user 'alice' already exists (usernames ignore case)");
    }
    ApiClient.Reply login = new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "ALICE").put("password", "alice-password"));
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getJsonObject("user").getString("username")).as("the stored spelling").isEqualTo("alice");
    assertThat(loginStatus("Alice", "ALICE-PASSWORD")).as("passwords do not ignore case").isEqualTo(401);
  }

  @Test
  void changingOnesPasswordNeedsTheOldOneAndEndsTheOtherSessions() {
    create("lena", "lena-password");
    ApiClient here = new ApiClient(node).login("lena", "lena-password");
    ApiClient elsewhere = new ApiClient(node).login("Lena", "lena-password");
    assertThat(elsewhere.get("/api/auth/me").status()).isEqualTo(200);

    ApiClient.Reply wrongOld = changeOwn(here, "not-the-password", "lena-new-password");
    assertThat(wrongOld.status()).isEqualTo(403);
    assertThat(wrongOld.json().getString("error")).isEqualTo("the current password is wrong");
    ApiClient.Reply weak = changeOwn(here, "lena-password", "1234567890");
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.json().getString("error")).isEqualTo("password is on the list of commonly used passwords; choose another");
    ApiClient.Reply missing = here.put("/api/auth/password", new JsonObject().put("newPassword", "lena-new-password"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("error")).isEqualTo("oldPassword and newPassword are required");
    ApiClient.Reply same = changeOwn(here, "lena-password", "lena-password");
    assertThat(same.status()).isEqualTo(400);
    assertThat(same.json().getString("error")).isEqualTo("the new password must differ from the current one");
    assertThat(elsewhere.get("/api/auth/me").status()).as("refused changes end nothing").isEqualTo(200);

    assertThat(changeOwn(here, "lena-password", "lena-new-password").status()).isEqualTo(204);
    assertThat(here.get("/api/auth/me").status()).as("the session that changed it stays").isEqualTo(200);
    assertThat(elsewhere.get("/api/auth/me").status()).as("every other session ends").isEqualTo(401);
    assertThat(loginStatus("lena", "lena-password")).isEqualTo(401);
    assertThat(loginStatus("lena", "lena-new-password")).isEqualTo(200);
    assertThat(new ApiClient(node).put("/api/auth/password", new JsonObject().put("oldPassword", "a").put("newPassword", "b")).status())
        .as("anonymous").isEqualTo(401);
  }

  @Test
  void anAdminResetsAPasswordAndEndsThatUsersSessions() {
    String miaId = create("mia", "mia-password");
    create("noah", "noah-password");
    ApiClient mia = new ApiClient(node).login("mia", "mia-password");
    ApiClient noah = new ApiClient(node).login("noah", "noah-password");
    String reset = "/api/users/" + miaId + "/password";

    ApiClient.Reply byListener = noah.put(reset, new JsonObject().put("password", "noah-chose-this"));
    assertThat(byListener.status()).isEqualTo(403);
    assertThat(admin.put("/api/users/" + UUID.randomUUID() + "/password", new JsonObject().put("password", "some-good-password")).status())
        .isEqualTo(404);
    assertThat(admin.put("/api/users/not-an-id/password", new JsonObject().put("password", "some-good-password")).status()).isEqualTo(400);
    ApiClient.Reply weak = admin.put(reset, new JsonObject().put("password", "short"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.json().getString("error")).isEqualTo("password must be at least 10 characters");
    assertThat(mia.get("/api/auth/me").status()).isEqualTo(200);

    assertThat(admin.put(reset, new JsonObject().put("password", "mia-reset-password")).status()).isEqualTo(204);
    assertThat(mia.get("/api/auth/me").status()).as("the user's sessions end").isEqualTo(401);
    assertThat(noah.get("/api/auth/me").status()).as("others' do not").isEqualTo(200);
    assertThat(admin.get("/api/auth/me").status()).as("nor the admin's").isEqualTo(200);
    assertThat(loginStatus("mia", "mia-password")).isEqualTo(401);
    assertThat(loginStatus("mia", "mia-reset-password")).isEqualTo(200);
  }

  @Test
  void aGeneratedAdminPasswordGoesToAnOwnerOnlyFileAndNeverToTheLog() throws Exception {
    try (CapturedLog logged = CapturedLog.of(SecurityVerticle.class); TestNode fresh = TestNode.builder().set("DSPOT_ADMIN_PASSWORD", "").start()) {
      Path file = fresh.dataDir().resolve("admin-password");
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      String password = Files.readString(file).strip();
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      assertThat(new ApiClient(fresh).post("/api/auth/login", new JsonObject().put("username", "admin").put("password", password)).status())
          .isEqualTo(200);
      assertThat(logged.messages()).noneMatch(line -> line.contains(password));
      assertThat(logged.messages())
          .anyMatch(line -> line.contains("generated password") && line.contains(file.toString()));
    }
  }
}
