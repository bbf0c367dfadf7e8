package io.dspot.subsonic;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Subsonic client written by others (the npm package {@code subsonic-api}, pinned in
 * webtest/package.json) against a real node, the way an app uses it: webtest/subsonic.test.mjs.
 */
class SubsonicClientLibraryTest {

  private static final String LISTENER_PASSWORD = "listener-account-password";

  @TempDir
  Path tmp;

  @Test
  void theSubsonicApiClientBrowsesSearchesStreamsAndManagesPlaylistsWithAnAppPassword() throws Exception {
    if (!Files.isDirectory(BrowserScript.WEBTEST.resolve("node_modules/subsonic-api"))) {
      BrowserScript.run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      Path first = TaggedSongs.mp3(tmp, new TaggedSongs.Tags("Harbour Lights", "Mira Vale", "Lanterns", 1, 2019, "Folk", Color.ORANGE));
      admin.uploadSong(first);
      admin.uploadSong(TaggedSongs.mp3(tmp, new TaggedSongs.Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", Color.ORANGE)));
      admin.uploadSong(TaggedSongs.mp3(tmp, new TaggedSongs.Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", Color.GREEN)));
      admin.uploadSong(TaggedSongs.mp3(tmp, new TaggedSongs.Tags("Anvil", "Oskar Lind", "Bellows", 1, 2022, "Rock", null)));
      String adminApp = admin.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD))
          .json().getString("password");
      assertThat(admin.post("/api/users", new JsonObject().put("username", "sam").put("password", LISTENER_PASSWORD).put("role", "listener"))
          .status()).isEqualTo(201);
      String samApp = new ApiClient(node).login("sam", LISTENER_PASSWORD)
          .put("/api/account/subsonic-password", new JsonObject().put("currentPassword", LISTENER_PASSWORD)).json().getString("password");

      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "subsonic.test.mjs");
      var env = script.environment();
      // The node's certificate is self-signed, as an app user would accept it once.
      env.put("NODE_TLS_REJECT_UNAUTHORIZED", "0");
      env.put("SUB_USER", "admin");
      env.put("SUB_PASSWORD", adminApp);
      env.put("LISTENER_USER", "sam");
      env.put("LISTENER_PASSWORD", samApp);
      env.put("SONG_FILE", first.toAbsolutePath().toString());
      env.put("SONG_TITLE", "Harbour Lights");
      env.put("ARTIST_NAME", "Mira Vale");
      env.put("ALBUM_NAME", "Lanterns");
      env.put("SONG_COUNT", "4");
      env.put("ALBUM_COUNT", "3");
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 1 - token login and ping").contains("ok 8 - error codes").contains("PASS: all steps passed");

      // The scaled cover decodes, at the size asked for, with the JDK's own decoder too.
      SubsonicClient app = new SubsonicClient(new ApiClient(node), "admin", adminApp);
      String albumId = app.json("search3", "query=lanterns&artistCount=0&songCount=0").json()
          .getJsonObject("subsonic-response").getJsonObject("searchResult3").getJsonArray("album").getJsonObject(0).getString("id");
      ApiClient.Reply cover = app.get("getCoverArt", "id=" + albumId + "&size=100");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(cover.body()));
      assertThat(image).as(cover.header("Content-Type")).isNotNull();
      assertThat(image.getWidth()).isEqualTo(100);
      assertThat(image.getHeight()).isEqualTo(100);
    }
  }
}
