package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node whose PostgreSQL dies (kill -9 of the server and its backends, the node's JVM untouched)
 * says so in {@code /api/health}: DEGRADED with the reason, to everyone, since nobody can log in
 * there any more. keepalived's check and the built-in leader both go by this.
 */
class DatabaseDownHealthTest {

  @Test
  void aNodeWhoseDatabaseDiedIsDegradedAndSaysWhyToEveryone() throws Exception {
    TestNode node = TestNode.builder().start();
    try {
      ApiClient anonymous = new ApiClient(node);
      assertThat(anonymous.get("/api/health").json()).isEqualTo(new JsonObject().put("status", "UP"));

      killPostgres(node.dataDir().resolve("postgres"));

      JsonObject health = Await.within(Duration.ofSeconds(15)).until("DEGRADED once the database is gone",
          () -> anonymous.get("/api/health").json(), h -> "DEGRADED".equals(h.getString("status")));
      assertThat(health).isEqualTo(new JsonObject().put("status", "DEGRADED").put("reason", NodeHealth.DATABASE_DOWN));
    } finally {
      try {
        node.close();
      } catch (RuntimeException stoppingADeadDatabase) {
        // Its PostgreSQL is gone already: stopping it cannot succeed, and the data directory goes anyway.
        deleteQuietly(node.dataDir());
      }
    }
  }

  /** The postmaster (pid from its postmaster.pid) and every backend it forked. */
  private static void killPostgres(Path postgresDir) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no PostgreSQL with pid " + pid));
    List<ProcessHandle> all = new java.util.ArrayList<>(postmaster.descendants().toList());
    all.add(postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // a temporary directory: the OS cleans it eventually
    }
  }
}
