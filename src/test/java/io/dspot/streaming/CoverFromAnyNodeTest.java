package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Album art through a node that does not hold the picture: three real clustered nodes with
 * replication paused, an MP3 with embedded art uploaded on node 1 (its only holder), the cover
 * asked for through node 2, which relays it; then node 1 stops and node 2 has nowhere to get it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoverFromAnyNodeTest {

  private static TestCluster cluster;
  private static TestNode holder;
  private static TestNode relay;
  private static ApiClient onHolder;
  private static ApiClient viaRelay;
  private static String coverPath;

  @BeforeAll
  static void uploadOnNodeOne() {
    cluster = TestCluster.start(3, Map.of("DSPOT_REPLICATION_ENABLED", "false"));
    holder = cluster.node(0);
    relay = cluster.node(1);
    onHolder = new ApiClient(holder).asAdmin();
    viaRelay = new ApiClient(relay).asAdmin();
    JsonObject song = onHolder.uploadSong(ApiClient.fixture("tone.mp3"));
    coverPath = "/api/albums/" + song.getString("albumId") + "/cover";
    Await.within(Duration.ofSeconds(15)).until("node 2 knows the album",
        () -> viaRelay.get("/api/albums/" + song.getString("albumId")).status() == 200);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void coverThroughANodeWithoutItIsTheHoldersPictureWithItsTypeAndTag() {
    assertThat(relay.blobCount()).as("node 2 holds no blob: the picture it serves is relayed").isZero();
    Reply direct = onHolder.get(coverPath);
    Reply relayed = viaRelay.get(coverPath);

    assertThat(direct.status()).isEqualTo(200);
    assertThat(relayed.status()).isEqualTo(200);
    assertThat(relayed.header("Content-Type")).isEqualTo(direct.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(relayed.header("ETag")).isEqualTo(direct.header("ETag"));
    assertThat(relayed.header("Content-Length")).isEqualTo(Integer.toString(direct.body().length));
    assertThat(relayed.body()).isEqualTo(direct.body()).startsWith((byte) 0xFF, (byte) 0xD8);
    assertThat(viaRelay.get(coverPath, "If-None-Match", direct.header("ETag")).status()).isEqualTo(304);
    assertThat(relay.blobCount()).as("relaying stores nothing").isZero();
  }

  @Test
  @Order(2)
  void coverWhoseOnlyHolderIsDownAnswers503WithRetryAfter() {
    holder.stop();
    Await.within(Duration.ofSeconds(20)).until("node 2 sees node 1 gone",
        () -> viaRelay.get(coverPath).status() == 503);

    Reply r = viaRelay.get(coverPath);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("5");
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.header("Cache-Control")).as("a 503 is not kept by the browser for a day").isNull();
    assertThat(r.json().getString("error")).contains("no node holding it is reachable");
  }
}
