package io.dspot.subsonic;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * (Each song gets a path of its own: TaggedSongs writes there, or into a directory of that name.)
 *
 * <p>What webtest/subsonic.test.mjs expects on a node: four tagged songs on three albums (two with
 * covers), an app password for the admin and for a listener (set through the web API), and the
 * script's environment describing them.
 */
record SubsonicLibrary(Map<String, String> env, String adminAppPassword) {

  static final int SONGS = 4;
  /** Four songs and the two covers (both Lanterns songs carry the same picture). */
  static final int BLOBS = 6;
  private static final String LISTENER_PASSWORD = "listener-account-password";

  static SubsonicLibrary uploadTo(TestNode node, Path tmp) throws Exception {
    if (!Files.isDirectory(BrowserScript.WEBTEST.resolve("node_modules/subsonic-api"))) {
      BrowserScript.run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    ApiClient admin = new ApiClient(node).asAdmin();
    Path first = TaggedSongs.mp3(tmp.resolve("harbour-lights.mp3"), new TaggedSongs.Tags("Harbour Lights", "Mira Vale", "Lanterns", 1, 2019, "Folk", Color.ORANGE));
    admin.uploadSong(first);
    admin.uploadSong(TaggedSongs.mp3(tmp.resolve("north-wind.mp3"), new TaggedSongs.Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", Color.ORANGE)));
    admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper-sky.mp3"), new TaggedSongs.Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", Color.GREEN)));
    admin.uploadSong(TaggedSongs.mp3(tmp.resolve("anvil.mp3"), new TaggedSongs.Tags("Anvil", "Oskar Lind", "Bellows", 1, 2022, "Rock", null)));
    JsonObject adminSet = admin.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD)).json();
    String adminApp = adminSet.getString("password");
    ApiClient.Reply sam = admin.post("/api/users", new JsonObject().put("username", "sam").put("password", LISTENER_PASSWORD).put("role", "listener"));
    if (sam.status() != 201) {
      throw new IllegalStateException("listener not created: " + sam.text());
    }
    String samApp = new ApiClient(node).login("sam", LISTENER_PASSWORD)
        .put("/api/account/subsonic-password", new JsonObject().put("currentPassword", LISTENER_PASSWORD)).json().getString("password");
    Map<String, String> env = new HashMap<>();
    // The node's certificate is self-signed, as an app user would accept it once.
    env.put("NODE_TLS_REJECT_UNAUTHORIZED", "0");
    env.put("SUB_USER", "admin");
    env.put("SUB_PASSWORD", adminApp);
    env.put("SUB_API_KEY", adminSet.getString("apiKey"));
    env.put("LISTENER_USER", "sam");
    env.put("LISTENER_PASSWORD", samApp);
    env.put("SONG_FILE", first.toAbsolutePath().toString());
    env.put("SONG_TITLE", "Harbour Lights");
    env.put("ARTIST_NAME", "Mira Vale");
    env.put("ALBUM_NAME", "Lanterns");
    env.put("SONG_COUNT", Integer.toString(SONGS));
    env.put("ALBUM_COUNT", "3");
    return new SubsonicLibrary(env, adminApp);
  }

  /** Runs webtest/subsonic.test.mjs against {@code baseUrl}; its output. */
  String runScriptAgainst(String baseUrl) throws Exception {
    ProcessBuilder script = BrowserScript.script(baseUrl, "node", "subsonic.test.mjs");
    script.environment().putAll(env);
    return BrowserScript.run(script, 120);
  }
}
