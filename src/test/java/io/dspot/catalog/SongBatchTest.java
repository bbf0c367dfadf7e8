package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApplyAgain;
import io.dspot.testkit.CatalogDigest;
import io.dspot.testkit.TestNode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** A folder import's batch of songs is one ordered-log record: in whole or not at all, and applying it twice changes nothing. */
class SongBatchTest {

  @Test
  void aBatchThatFailsHalfwayLeavesNoHalfBatchAndApplyingItAgainChangesNothing() throws Exception {
    try (TestNode node = TestNode.builder().start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      String before = CatalogDigest.of(node);
      long seq = CatalogDigest.lastSeq(node);
      // PostgreSQL refuses the NUL in the third title: the batch's artists, albums and first two
      // songs were already written in its transaction when that row fails.
      JsonArray songs = new JsonArray().add(draft(1, "Batch Song 1")).add(draft(2, "Batch Song 2")).add(draft(3, "Batch\u0000Song 3"));
      assertThat(refusal(node, songs).failureCode()).isGreaterThanOrEqualTo(500);
      assertThat(CatalogDigest.of(node)).as("nothing of the batch, no log record").isEqualTo(before);
      assertThat(count(node, "SELECT count(*) FROM artists WHERE name LIKE 'Batch Artist%'")).isZero();

      songs.remove(2);
      JsonObject added = add(node, songs);
      assertThat(added.getJsonArray("items")).hasSize(2);
      assertThat(added.getJsonArray("items").getJsonObject(1).getBoolean("duplicate")).isFalse();
      assertThat(CatalogDigest.lastSeq(node)).as("one record for the batch").isEqualTo(seq + 1);
      assertThat(admin.get("/api/songs?q=Batch").json().getLong("total")).isEqualTo(2);
      assertThat(admin.get("/api/albums").json().getJsonArray("items").encode()).contains("Batch Album 1", "Batch Album 2");

      // The same songs again are duplicates, decided without a record.
      String afterBatch = CatalogDigest.of(node);
      JsonObject again = add(node, songs);
      assertThat(again.getJsonArray("items").getJsonObject(0)).isEqualTo(added.getJsonArray("items").getJsonObject(0).copy().put("duplicate", true));
      assertThat(CatalogDigest.of(node)).isEqualTo(afterBatch);

      // A node that applies the recorded batch again (a relay retried) ends with the same rows.
      JsonObject payload = new JsonObject(string(node, "SELECT payload::text FROM outbox WHERE event_type = 'songs.added' ORDER BY seq DESC LIMIT 1"));
      ApplyAgain.on(node, tx -> SongBatch.apply(tx, payload));
      assertThat(CatalogDigest.of(node)).isEqualTo(afterBatch);
    }
  }

  @Test
  void anEmptyOversizedOrUntitledBatchIs400() {
    try (TestNode node = TestNode.builder().start()) {
      JsonObject untitled = draft(1, "Song 1");
      untitled.remove("title");
      for (JsonArray songs : new JsonArray[] {new JsonArray(), null, oversized(), new JsonArray().add(draft(0, "Song 0")).add(untitled)}) {
        ReplyException e = refusal(node, songs);
        assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(400);
      }
    }
  }

  private static JsonArray oversized() {
    JsonArray songs = new JsonArray();
    for (int i = 0; i <= SongBatch.MAX_SONGS; i++) {
      songs.add(draft(i, "Song " + i));
    }
    return songs;
  }

  private static JsonObject draft(int i, String title) {
    SongTags tags = new SongTags(title, "Batch Artist " + i, "Batch Album " + i, null, 1, null, 2020, "Rock",
        3_000L, 128, "MPEG-1 Layer 3", "audio/mpeg");
    return new SongDraft(tags, String.format("%064x", i), 1_000L + i, null, null, false).toJson();
  }

  private static JsonObject add(TestNode node, JsonArray songs) {
    return node.vertx().eventBus().<JsonObject>request(CatalogAddresses.SONGS_ADD, new JsonObject().put("songs", songs))
        .await().body();
  }

  private static ReplyException refusal(TestNode node, JsonArray songs) {
    try {
      add(node, songs);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("batch accepted: " + songs);
  }

  private static long count(TestNode node, String sql) throws Exception {
    return Long.parseLong(string(node, sql));
  }

  private static String string(TestNode node, String sql) throws Exception {
    try (var c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); ResultSet rows = c.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
