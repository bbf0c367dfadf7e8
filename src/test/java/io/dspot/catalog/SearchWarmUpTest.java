package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.CapturedLog;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * A node whose library has catalog.warmUpFromSongs songs warms its search path at start (SearchWarmUp),
 * before it answers requests; a smaller library does not; the warm-up writes nothing.
 */
class SearchWarmUpTest {

  @Test
  void aLargeEnoughLibraryIsWarmedAtStartWithReadsOnly() throws Exception {
    try (CapturedLog logged = CapturedLog.of(SearchWarmUp.class);
        TestNode node = TestNode.builder().set("DSPOT_CATALOG_WARM_UP_FROM_SONGS", "2")
        .set("DSPOT_CATALOG_WARM_UP_MAX_SECONDS", "2").start()) {
      assertThat(warmed(logged)).as("warm-up of an empty library").isEmpty();

      ApiClient admin = new ApiClient(node).asAdmin();
      admin.uploadSong(ApiClient.fixture("tone.mp3"));
      admin.uploadSong(ApiClient.fixture("aurora.mp3"));
      JsonObject before = admin.get("/api/search?q=a&limit=50").json();
      long seq = lastSeq(node);

      node.restart();

      assertThat(warmed(logged)).as("warm-up of a library of 2 songs").hasSize(1)
          .first().satisfies(m -> assertThat(m).containsPattern("in \\d+ ms \\((the JIT went quiet|its time ran out)\\): [1-9]\\d* requests of [1-9]\\d+ shapes"));
      ApiClient again = new ApiClient(node).asAdmin();
      assertThat(again.get("/api/search?q=a&limit=50").json()).as("the search after the warm-up").isEqualTo(before);
      assertThat(lastSeq(node)).as("ordered events after the warm-up (the login adds its session)").isEqualTo(seq + 1);
    }
  }

  /** The default is off: a node with songs starts without warming (it once ran on every node for up to 10 s). */
  @Test
  void aNodeOnTheDefaultsDoesNotWarm() throws Exception {
    try (CapturedLog logged = CapturedLog.of(SearchWarmUp.class); TestNode node = TestNode.builder().start()) {
      new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.mp3"));
      node.restart();
      assertThat(warmed(logged)).as("warm-up with catalog.warmUpFromSongs at its default").isEmpty();
    }
  }

  private static java.util.List<String> warmed(CapturedLog logged) {
    return logged.messages().stream().filter(m -> m.startsWith("warmed the search path")).toList();
  }

  private static long lastSeq(TestNode node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet r = c.createStatement().executeQuery("SELECT last_seq FROM applied_state WHERE id = 1")) {
      r.next();
      return r.getLong(1);
    }
  }
}
