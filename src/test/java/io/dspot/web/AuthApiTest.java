package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthApiTest {

  private static TestNode node;
  private static ApiClient admin;
  private static final String SOME_ID = UUID.randomUUID().toString();

  @BeforeAll
  static void start() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password").put("role", "listener")).status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /api/auth/me", "POST, /api/auth/logout",
    "GET, /api/artists", "GET, /api/artists/ID", "GET, /api/albums", "GET, /api/albums/ID", "GET, /api/albums/ID/cover",
    "GET, /api/songs", "GET, /api/songs/ID", "GET, /api/songs/ID/stream", "HEAD, /api/songs/ID/stream", "DELETE, /api/songs/ID",
    "POST, /api/songs", "GET, /api/playlists", "POST, /api/playlists", "GET, /api/playlists/ID", "PUT, /api/playlists/ID",
    "DELETE, /api/playlists/ID", "GET, /api/users", "POST, /api/users", "DELETE, /api/users/ID",
    "POST, /api/admin/import", "GET, /api/admin/import", "GET, /api/cluster", "GET, /api/nonexistent",
  })
  void everyApiRouteRefusesAnonymousCallers(String method, String path) {
    ApiClient anonymous = new ApiClient(node);
    String p = path.replace("ID", SOME_ID);
    ApiClient.Reply r = switch (method) {
      case "GET" -> anonymous.get(p);
      case "HEAD" -> anonymous.head(p);
      case "DELETE" -> anonymous.delete(p);
      case "PUT" -> anonymous.put(p, new JsonObject().put("name", "x"));
      default -> anonymous.post(p, new JsonObject().put("name", "x").put("path", "/tmp"));
    };
    assertThat(r.status()).isEqualTo(401);
    if (!method.equals("HEAD")) {
      assertThat(r.json().getString("error")).isNotBlank();
    }
  }

  @Test
  void healthAndTheWebPlayerArePublic() {
    ApiClient anonymous = new ApiClient(node);
    // The status alone: node names and member counts would map the cluster for anyone.
    assertThat(anonymous.get("/api/health").json()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(new ApiClient(node).withToken("A".repeat(43)).get("/api/health").json()).isEqualTo(new JsonObject().put("status", "UP"));
    JsonObject forAdmin = new ApiClient(node).asAdmin().get("/api/health").json();
    assertThat(forAdmin.getString("node")).isEqualTo(node.nodeId());
    assertThat(forAdmin.getJsonObject("cluster").getInteger("members")).isEqualTo(1);
    ApiClient.Reply page = anonymous.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSame401() {
    ApiClient.Reply wrongPassword = new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "admin").put("password", "nope-nope"));
    ApiClient.Reply unknownUser = new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "ghost").put("password", "nope-nope"));
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(wrongPassword.json()).isEqualTo(unknownUser.json());
    assertThat(wrongPassword.header("set-cookie")).isNull();
    assertThat(wrongPassword.text()).doesNotContain("token");
  }

  @Test
  void malformedLoginBodiesAre400() {
    ApiClient anonymous = new ApiClient(node);
    ApiClient.Reply notJson = anonymous.postRaw("/api/auth/login", "application/json", "{not json".getBytes());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().getString("error")).isEqualTo("the body is not a JSON object");
    ApiClient.Reply numberAsName = anonymous.post("/api/auth/login", new JsonObject().put("username", 42));
    assertThat(numberAsName.status()).isEqualTo(400);
    assertThat(numberAsName.json().getString("error")).isEqualTo("username and password are required");
    assertThat(anonymous.post("/api/auth/login", new JsonObject()).status()).isEqualTo(400);
  }

  @Test
  void loginSetsAnHttpOnlySameSiteCookieThatAuthenticates() {
    ApiClient.Reply login = new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "lena").put("password", "lena-password"));
    assertThat(login.status()).isEqualTo(200);
    String cookie = login.header("set-cookie");
    assertThat(cookie).startsWith("dspot_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    String value = cookie.substring(0, cookie.indexOf(';'));
    ApiClient.Reply me = new ApiClient(node).get("/api/auth/me", "Cookie", value);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo("lena");
    assertThat(me.json().getString("role")).isEqualTo("listener");
  }

  @Test
  void logoutRevokesTheToken() {
    ApiClient lena = new ApiClient(node).login("lena", "lena-password");
    assertThat(lena.get("/api/auth/me").status()).isEqualTo(200);
    assertThat(lena.post("/api/auth/logout", new JsonObject()).status()).isEqualTo(204);
    assertThat(lena.get("/api/auth/me").status()).isEqualTo(401);
  }

  @Test
  void forgedOrGarbageTokensAre401() {
    assertThat(new ApiClient(node).withToken("A".repeat(43)).get("/api/songs").status()).isEqualTo(401);
    assertThat(new ApiClient(node).get("/api/songs", "Authorization", "Bearer ../../etc/passwd").status()).isEqualTo(401);
    assertThat(new ApiClient(node).get("/api/songs", "Cookie", "dspot_session=%00%ff").status()).isEqualTo(401);
  }

  @Test
  void listenersCannotUploadDeleteOrManageUsers() {
    ApiClient lena = new ApiClient(node).login("lena", "lena-password");
    ApiClient.Reply upload = lena.upload(ApiClient.fixture("tone.mp3"));
    assertThat(upload.status()).isEqualTo(403);
    assertThat(upload.json().getString("error")).contains("admin");
    assertThat(node.blobCount()).isZero();
    assertThat(lena.delete("/api/songs/" + SOME_ID).status()).isEqualTo(403);
    assertThat(lena.get("/api/users").status()).isEqualTo(403);
    assertThat(lena.post("/api/users", new JsonObject().put("username", "evil").put("password", "evil-password").put("role", "admin")).status())
        .isEqualTo(403);
    assertThat(lena.post("/api/admin/import", new JsonObject().put("path", "/")).status()).isEqualTo(403);
    assertThat(lena.get("/api/cluster").status()).isEqualTo(403);
  }

  @Test
  void listenersCanBrowseAndSearch() {
    ApiClient lena = new ApiClient(node).login("lena", "lena-password");
    assertThat(lena.get("/api/songs?q=anything").status()).isEqualTo(200);
    assertThat(lena.get("/api/albums").status()).isEqualTo(200);
    assertThat(lena.get("/api/artists").status()).isEqualTo(200);
  }

  @Test
  void adminCreatesUsersWithValidatedInput() {
    assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "another-password")).status()).isEqualTo(409);
    assertThat(admin.post("/api/users", new JsonObject().put("username", "bad name!").put("password", "long-enough")).status()).isEqualTo(400);
    assertThat(admin.post("/api/users", new JsonObject().put("username", "shorty").put("password", "short")).status()).isEqualTo(400);
    assertThat(admin.post("/api/users", new JsonObject().put("username", "x").put("password", "long-enough").put("role", "root")).status()).isEqualTo(400);
    ApiClient.Reply created = admin.post("/api/users", new JsonObject().put("username", "tom").put("password", "tom-password").put("role", "admin"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text()).doesNotContain("tom-password").doesNotContain("pbkdf2");
    assertThat(admin.get("/api/users").items().stream().map(u -> ((JsonObject) u).getString("username"))).contains("admin", "lena", "tom");
    assertThat(admin.delete("/api/users/" + created.json().getString("id")).status()).isEqualTo(204);
    assertThat(new ApiClient(node).post("/api/auth/login", new JsonObject().put("username", "tom").put("password", "tom-password")).status())
        .isEqualTo(401);
    assertThat(admin.delete("/api/users/not-an-id").status()).isEqualTo(400);
    assertThat(admin.delete("/api/users/" + SOME_ID).status()).isEqualTo(404);
  }
}
