package io.dspot.subsonic;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Subsonic client written by others (the npm package {@code subsonic-api}, pinned in
 * webtest/package.json) against real nodes, the way an app uses it: webtest/subsonic.test.mjs.
 */
class SubsonicClientLibraryTest {

  @TempDir
  Path tmp;

  @Test
  void theSubsonicApiClientBrowsesSearchesStreamsAndManagesPlaylistsWithAnAppPassword() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      SubsonicLibrary library = SubsonicLibrary.uploadTo(node, tmp);
      String output = library.runScriptAgainst(node.baseUrl());
      assertThat(output).contains("ok 1 - token login and ping").doesNotContain("FAIL ").contains("- error codes: wrong password").contains("PASS: all steps passed");

      // The scaled cover decodes, at the size asked for, with the JDK's own decoder too.
      SubsonicClient app = new SubsonicClient(new ApiClient(node), "admin", library.adminAppPassword());
      String albumId = app.json("search3", "query=lanterns&artistCount=0&songCount=0").json()
          .getJsonObject("subsonic-response").getJsonObject("searchResult3").getJsonArray("album").getJsonObject(0).getString("id");
      ApiClient.Reply cover = app.get("getCoverArt", "id=" + albumId + "&size=40");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(cover.body()));
      assertThat(image).as(cover.header("Content-Type")).isNotNull();
      assertThat(image.getWidth()).isEqualTo(40);
      assertThat(image.getHeight()).isEqualTo(40);
    }
  }

  /**
   * Songs and app passwords set through node 1 of three; the same client pointed at node 2 sees
   * the same library, logs in with the same app password and streams the bytes uploaded on node 1.
   */
  @Test
  void theSameClientPointedAtAnotherNodeOfTheClusterSeesAndStreamsTheSameLibrary() throws Exception {
    try (TestCluster cluster = TestCluster.start(3)) {
      SubsonicLibrary library = SubsonicLibrary.uploadTo(cluster.node(0), tmp);
      TestNode other = cluster.node(1);
      // Replication (factor 3) brings the songs and covers; the scaled cover is made from this node's own copy.
      Await.within(Duration.ofSeconds(60)).until("node 2 holds the songs and covers", other::blobCount, n -> n >= SubsonicLibrary.BLOBS);
      String output = library.runScriptAgainst(other.baseUrl());
      assertThat(output).contains("ok 6 - stream a song").contains("- error codes: wrong password").contains("PASS: all steps passed");

      SubsonicClient onOther = new SubsonicClient(new ApiClient(other), "admin", library.adminAppPassword());
      starsPlayQueueAndNowPlayingMadeOnOneNodeAreReadOnAnother(new SubsonicClient(new ApiClient(cluster.node(0)), "admin",
          library.adminAppPassword()), onOther);

      // Revoked through node 1, the app password stops working on node 2 too.
      assertThat(onOther.json("ping", "").json().getJsonObject("subsonic-response").getString("status")).isEqualTo("ok");
      assertThat(new ApiClient(cluster.node(0)).asAdmin().delete("/api/account/subsonic-password").status()).isEqualTo(204);
      Await.within(Duration.ofSeconds(15)).until("node 2 refuses the revoked app password",
          () -> onOther.json("ping", "").json().getJsonObject("subsonic-response").getString("status").equals("failed"));
    }
  }

  /** A star and a saved play queue go through the ordered log; who plays what lives in the cluster's map. */
  private static void starsPlayQueueAndNowPlayingMadeOnOneNodeAreReadOnAnother(SubsonicClient first, SubsonicClient second) {
    io.vertx.core.json.JsonArray songs = SubsonicClient.response(first.json("search3", "query=&artistCount=0&albumCount=0"))
        .getJsonObject("searchResult3").getJsonArray("song");
    String a = songs.getJsonObject(0).getString("id");
    String b = songs.getJsonObject(1).getString("id");
    SubsonicClient.response(first.json("star", "id=" + b));
    SubsonicClient.response(first.json("savePlayQueue", "id=" + b + "&id=" + a + "&current=" + a + "&position=4200"));
    SubsonicClient.response(first.json("scrobble", "submission=false&id=" + a));
    Await.within(Duration.ofSeconds(15)).until("node 2 shows the star made on node 1", () -> SubsonicClient.response(second.json("getStarred2", ""))
        .getJsonObject("starred2").getJsonArray("song", new io.vertx.core.json.JsonArray()).stream()
        .anyMatch(o -> ((io.vertx.core.json.JsonObject) o).getString("id").equals(b)));
    Await.within(Duration.ofSeconds(15)).until("node 2 reads the play queue saved on node 1", () -> {
      io.vertx.core.json.JsonObject queue = SubsonicClient.response(second.json("getPlayQueue", "")).getJsonObject("playQueue");
      return queue != null && a.equals(queue.getString("current")) && queue.getLong("position") == 4200
          && queue.getJsonArray("entry").size() == 2 && queue.getJsonArray("entry").getJsonObject(0).getString("id").equals(b);
    });
    assertThat(SubsonicClient.response(second.json("getNowPlaying", "")).getJsonObject("nowPlaying").getJsonArray("entry").stream()
        .anyMatch(o -> ((io.vertx.core.json.JsonObject) o).getString("id").equals(a))).as("now playing, asked on node 2").isTrue();
  }
}
