package io.dspot.node;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartTest {

  @Test
  void songsUsersAndPlaylistsSurviveARestart() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.mp3"));
      JsonObject other = admin.uploadSong(ApiClient.fixture("tone.flac"));
      assertThat(admin.post("/api/users", new JsonObject().put("username", "mia").put("password", "mia-password")).status()).isEqualTo(201);
      ApiClient mia = new ApiClient(node).login("mia", "mia-password");
      JsonObject playlist = mia.post("/api/playlists", new JsonObject().put("name", "Road trip")
          .put("songIds", new JsonArray().add(other.getString("id")).add(song.getString("id")))).json();
      String miaToken = mia.token();

      node.restart();

      ApiClient again = new ApiClient(node).login("mia", "mia-password");
      assertThat(again.get("/api/songs").json().getLong("total")).isEqualTo(2);
      JsonObject reloaded = again.get("/api/playlists/" + playlist.getString("id")).json();
      assertThat(reloaded.getString("name")).isEqualTo("Road trip");
      assertThat(reloaded.getJsonArray("songs").stream().map(s -> ((JsonObject) s).getString("id")))
          .containsExactly(other.getString("id"), song.getString("id"));
      byte[] streamed = again.get("/api/songs/" + song.getString("id") + "/stream").body();
      assertThat(streamed).isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.mp3")));
      // Sessions live in the database too: a restart does not log people out.
      assertThat(new ApiClient(node).withToken(miaToken).get("/api/auth/me").status()).isEqualTo(200);
      assertThat(new ApiClient(node).asAdmin().get("/api/users").json().getLong("total")).isEqualTo(2);
    }
  }

  @Test
  void demoLibraryIsInstalledOnceAndMarkedAsDemo() {
    try (TestNode node = TestNode.builder().set("DSPOT_DEMO_ENABLED", "true").start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      // Installed in the background once the node serves.
      JsonArray songs = Await.within(Duration.ofSeconds(20)).until("the demo library",
          () -> admin.get("/api/songs").items(), list -> list.size() >= 5);
      assertThat(songs.stream().allMatch(s -> ((JsonObject) s).getBoolean("demo"))).isTrue();
      JsonObject album = admin.get("/api/albums").items().getJsonObject(0);
      assertThat(album.getBoolean("hasCover")).isTrue();
      long count = songs.size();
      // Deleting demo songs sticks: a restart does not bring them back.
      admin.delete("/api/songs/" + songs.getJsonObject(0).getString("id"));
      node.restart();
      assertThat(new ApiClient(node).asAdmin().get("/api/songs").items()).hasSize((int) count - 1);
    }
  }
}
