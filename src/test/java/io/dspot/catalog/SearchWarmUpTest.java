package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A node whose library has catalog.warmUpFromSongs songs warms its search path at start (SearchWarmUp),
 * before it answers requests; a smaller library does not; the warm-up writes nothing.
 */
class SearchWarmUpTest {

  @Test
  void aLargeEnoughLibraryIsWarmedAtStartWithReadsOnly() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger warmUpLog = (Logger) LoggerFactory.getLogger(SearchWarmUp.class);
    warmUpLog.addAppender(logged);
    try (TestNode node = TestNode.builder().set("DSPOT_CATALOG_WARM_UP_FROM_SONGS", "2")
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
    } finally {
      warmUpLog.detachAppender(logged);
    }
  }

  /** The default is off: a node with songs starts without warming (it once ran on every node for up to 10 s). */
  @Test
  void aNodeOnTheDefaultsDoesNotWarm() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger warmUpLog = (Logger) LoggerFactory.getLogger(SearchWarmUp.class);
    warmUpLog.addAppender(logged);
    try (TestNode node = TestNode.builder().start()) {
      new ApiClient(node).asAdmin().uploadSong(ApiClient.fixture("tone.mp3"));
      node.restart();
      assertThat(warmed(logged)).as("warm-up with catalog.warmUpFromSongs at its default").isEmpty();
    } finally {
      warmUpLog.detachAppender(logged);
    }
  }

  private static java.util.List<String> warmed(ListAppender<ILoggingEvent> logged) {
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("warmed the search path")).toList();
  }

  private static long lastSeq(TestNode node) throws Exception {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet r = c.createStatement().executeQuery("SELECT last_seq FROM applied_state WHERE id = 1")) {
      r.next();
      return r.getLong(1);
    }
  }
}
