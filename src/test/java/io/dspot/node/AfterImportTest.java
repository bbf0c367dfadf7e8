package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a folder import, a long-running node vacuums and analyzes its database (the import's
 * after-work, done once at its end instead of by autovacuum while the node idles), and its JVM
 * (SmallJvm's flags) gives back, at the one full collection after an import, the
 * old generation that the import's promotions grew. Run in a JVM of its own with those flags, as
 * the launcher starts the node.
 */
class AfterImportTest {

  @TempDir Path library;

  /** {@code last_vacuum} and {@code last_analyze} are set by a VACUUM or ANALYZE command only, never by autovacuum. */
  @Test
  void theImportsTablesAreVacuumedAndAnalyzedOnceItEnds() throws Exception {
    Files.copy(ApiClient.fixture("tone.mp3"), library.resolve("a.mp3"));
    Files.copy(ApiClient.fixture("tone.flac"), library.resolve("b.flac"));
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      AfterImport.watch(node.node().vertx(), node.node().pool()); // as Main does for a long-running node
      assertThat(maintained(node, "songs")).as("before any import").isEqualTo("null null");
      ApiClient admin = new ApiClient(node).asAdmin();
      assertThat(admin.post("/api/admin/import", new JsonObject().put("path", library.toString())).status()).isEqualTo(202);
      Await.within(Duration.ofSeconds(30)).until("the import finished", () -> admin.get("/api/admin/import").json(),
          job -> "finished".equals(job.getString("state")) && job.getInteger("imported") == 2);
      for (String table : List.of("songs", "albums", "artists", "imported_files", "outbox")) {
        Await.within(Duration.ofSeconds(30)).until(table + " vacuumed and analyzed", () -> maintained(node, table), m -> !m.contains("null"));
      }
    }
  }

  private static String maintained(TestNode node, String table) {
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
      assertThat(r.next()).as("table %s", table).isTrue();
      return r.getTimestamp(1) + " " + r.getTimestamp(2);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCollectionAfterAnImportGivesTheGrownHeapBackAtOnce() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(SmallJvm.FLAGS);
    command.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"), GrowThenCollect.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes()).trim();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    String[] mb = out.substring(out.lastIndexOf('\n') + 1).split(" ");
    long before = Long.parseLong(mb[0]);
    long after = Long.parseLong(mb[1]);
    long used = Long.parseLong(mb[2]);
    assertThat(before).as("the burst grew the heap (MB committed)").isGreaterThanOrEqualTo(80);
    assertThat(after).as("one collection shrank it to what is in use plus the free ratio, not above the 32 MB start by much (in use: %d MB)", used)
        .isLessThanOrEqualTo(Math.max(40, used * 2));
  }

  /** Promotes ~90 MB into the old generation (live across young collections), drops it, and collects as the node does. */
  public static final class GrowThenCollect {
    public static void main(String[] args) {
      List<byte[]> inFlight = new ArrayList<>();
      for (int i = 0; i < 90; i++) {
        inFlight.add(new byte[1 << 20]);
        for (int j = 0; j < 16; j++) {
          blackhole = new byte[64 << 10]; // short-lived garbage, so young collections run and promote the kept arrays
        }
      }
      inFlight.clear();
      AfterImport.Shrunk shrunk = AfterImport.collect();
      System.out.println((shrunk.before() >> 20) + " " + (shrunk.after() >> 20) + " " + (shrunk.used() >> 20));
    }

    static volatile byte[] blackhole;
  }
}
