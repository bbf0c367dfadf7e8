package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reordering a playlist the way the web player does it (PUT with the whole new order) on a real
 * node: a song held twice keeps both copies, and a song deleted meanwhile makes the reorder a clear
 * 400 that changes nothing, also when the delete and the reorder race.
 */
class PlaylistReorderApiTest {

  private static TestNode node;
  private static ApiClient admin;
  private static String mp3;
  private static String flac;

  @TempDir
  static Path tmp;

  private static long seed = 100;

  @BeforeAll
  static void startNodeWithSongs() {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    mp3 = admin.uploadSong(ApiClient.fixture("tone.mp3")).getString("id");
    flac = admin.uploadSong(ApiClient.fixture("tone.flac")).getString("id");
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void reorderingAPlaylistThatHoldsASongTwiceKeepsBothCopiesInTheNewOrder() {
    String id = create(mp3, flac, mp3);

    Reply r = admin.put("/api/playlists/" + id, order(mp3, mp3, flac));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(songIds(r.json())).containsExactly(mp3, mp3, flac);
    assertThat(songIds(admin.get("/api/playlists/" + id).json())).containsExactly(mp3, mp3, flac);
  }

  @Test
  void reorderNamingASongDeletedMeanwhileIsRefusedWithItsIdAndChangesNothing() {
    String doomed = freshSong();
    String id = create(mp3, doomed, flac);
    assertThat(admin.delete("/api/songs/" + doomed).status()).isEqualTo(204);

    Reply r = admin.put("/api/playlists/" + id, order(flac, doomed, mp3));

    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().getString("error")).isEqualTo("no song with id " + doomed);
    assertThat(songIds(admin.get("/api/playlists/" + id).json())).containsExactly(mp3, flac);
  }

  @Test
  void reorderRacingTheDeleteOfOneOfItsSongsIsSavedOrRefusedNeverHalfDoneNor500() {
    for (int round = 0; round < 5; round++) {
      String doomed = freshSong();
      String id = create(doomed, mp3, flac);

      CompletableFuture<Reply> reorder = CompletableFuture.supplyAsync(() -> admin.put("/api/playlists/" + id, order(flac, mp3, doomed)));
      CompletableFuture<Reply> delete = CompletableFuture.supplyAsync(() -> admin.delete("/api/songs/" + doomed));
      Reply reordered = reorder.join();

      assertThat(delete.join().status()).isEqualTo(204);
      List<String> after = songIds(admin.get("/api/playlists/" + id).json());
      if (reordered.status() == 200) {
        // Ordered before the delete: the new order, then the deleted song taken out of it.
        assertThat(after).as("round %d", round).containsExactly(flac, mp3);
      } else {
        assertThat(reordered.status()).as("round %d: %s", round, reordered.text()).isEqualTo(400);
        assertThat(reordered.json().getString("error")).isEqualTo("no song with id " + doomed);
        assertThat(after).as("round %d", round).containsExactly(mp3, flac);
      }
    }
  }

  private static String freshSong() {
    Path wav = TestAudio.wav(tmp.resolve("doomed-" + seed + ".wav"), TestAudio.WAV_HEADER_BYTES + 8_000, seed++);
    return admin.uploadSong(wav).getString("id");
  }

  private static String create(String... songIds) {
    Reply r = admin.post("/api/playlists", order(songIds).put("name", "Reorder"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static JsonObject order(String... songIds) {
    return new JsonObject().put("songIds", new JsonArray(List.of((Object[]) songIds)));
  }

  private static List<String> songIds(JsonObject playlist) {
    return playlist.getJsonArray("songs").stream().map(s -> ((JsonObject) s).getString("id")).toList();
  }
}
