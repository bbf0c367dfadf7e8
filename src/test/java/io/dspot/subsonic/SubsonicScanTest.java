package io.dspot.subsonic;

import static io.dspot.subsonic.SubsonicClient.errorCode;
import static io.dspot.subsonic.SubsonicClient.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** startScan imports the node's first import root (the admin's folder import); getScanStatus follows it. */
class SubsonicScanTest {

  @Test
  void anAdminsStartScanImportsTheImportRootAndAListenerIsRefused() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      Path root = Files.createDirectories(node.dataDir().resolve("import"));
      TaggedSongs.mp3(root.resolve("one.mp3"), new TaggedSongs.Tags("One", "Mira Vale", "Lanterns", 1, 2019, "Folk", null));
      TaggedSongs.mp3(root.resolve("two.mp3"), new TaggedSongs.Tags("Two", "Mira Vale", "Lanterns", 2, 2019, "Folk", null));
      JsonObject set = admin.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD)).json();
      SubsonicClient app = new SubsonicClient(new ApiClient(node), "admin", set.getString("password"));
      assertThat(response(app.json("getScanStatus", "")).getJsonObject("scanStatus").getLong("count")).isZero();

      assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-account-password")
          .put("role", "listener")).status()).isEqualTo(201);
      JsonObject lenaSet = new ApiClient(node).login("lena", "lena-account-password")
          .put("/api/account/subsonic-password", new JsonObject().put("currentPassword", "lena-account-password")).json();
      assertThat(errorCode(new SubsonicClient(new ApiClient(node), "lena", lenaSet.getString("password")).json("startScan", ""))).isEqualTo(50);

      JsonObject started = response(app.json("startScan", ""));
      assertThat(started.getString("status")).isEqualTo("ok");
      assertThat(started.getJsonObject("scanStatus").containsKey("scanning")).isTrue();
      Await.within(Duration.ofSeconds(60)).until("the scan imported both songs", () -> {
        JsonObject status = response(app.json("getScanStatus", "")).getJsonObject("scanStatus");
        return !status.getBoolean("scanning") && status.getLong("count") == 2;
      });
      assertThat(XmlTree.fromXml(app.get("getScanStatus", "").body())).isEqualTo(XmlTree.fromJson(response(app.json("getScanStatus", ""))));
      // Scanning again finds nothing new.
      response(app.json("startScan", ""));
      Await.within(Duration.ofSeconds(60)).until("the second scan ended", () ->
          !response(app.json("getScanStatus", "")).getJsonObject("scanStatus").getBoolean("scanning"));
      assertThat(response(app.json("getScanStatus", "")).getJsonObject("scanStatus").getLong("count")).isEqualTo(2);
    }
  }
}
