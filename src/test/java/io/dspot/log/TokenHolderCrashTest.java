package io.dspot.log;

import io.dspot.testkit.Await;
import io.dspot.testkit.CatalogDigest;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Ports;
import io.dspot.testkit.ProcessNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three node processes; the token holder is killed with SIGKILL (and its database) in the middle of writes. */
class TokenHolderCrashTest {

  @TempDir Path dir;

  @Test
  void killingTheTokenHolderLosesNoAcknowledgedWriteAndRegeneratesTheTokenOnce() throws Exception {
    List<ProcessNode> nodes = new ArrayList<>();
    try {
      nodes.addAll(startThree());
      ApiClient viewer = loginWhenReady(nodes.get(0));
      awaitMembers(viewer, 3);

      // Only node-c writes, so the token settles there and it is the holder when it dies mid-write.
      ProcessNode victim = nodes.get(2);
      ApiClient victimClient = loginWhenReady(victim);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        int k = 0;
        while (writing.get()) {
          String user = "user-" + k++;
          try {
            ApiClient.Reply r = victimClient.post("/api/users", new JsonObject().put("username", user).put("password", "password-of-" + user).put("role", "listener"));
            if (r.status() == 201) {
              acknowledged.add(user);
            }
          } catch (RuntimeException e) {
            // the node went away under us
          }
        }
      });
      writer.start();
      JsonObject before = Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(50))
          .until("the writing node holding the token after 3 acknowledged writes", () -> viewer.get("/api/cluster").json(),
              view -> victim.nodeId().equals(view.getString("tokenHolder")) && acknowledged.size() >= 3);
      long epochBefore = before.getLong("epoch");
      victim.kill9();
      writing.set(false);
      writer.join(20_000);

      // The survivors go on: the first write after the kill commits under a regenerated token.
      ProcessNode survivor = nodes.get(0);
      ApiClient survivorView = loginWhenReady(survivor);
      // Retried at once, without pause: how soon writes resume is part of what this shows.
      long killedAt = System.currentTimeMillis();
      ApiClient.Reply first;
      do {
        first = survivorView.post("/api/playlists", new JsonObject().put("name", "after the crash"));
      } while (first.status() != 201 && System.currentTimeMillis() - killedAt < 20_000);
      assertThat(first.status()).as(first.text()).isEqualTo(201);

      JsonObject after = awaitHolder(survivorView);
      assertThat(after.getLong("epoch")).as("exactly one regeneration").isEqualTo(epochBefore + 1);
      List<ProcessNode> survivors = nodes.stream().filter(n -> n != victim).toList();
      long seq = awaitConverged(survivors);
      String digest = CatalogDigest.of(survivors.get(0).jdbcUrl());
      assertThat(CatalogDigest.of(survivors.get(1).jdbcUrl())).isEqualTo(digest);
      Set<String> users = usernames(survivorView);
      assertThat(acknowledged).as("writes were acknowledged before the kill").isNotEmpty();
      assertThat(users).as("every acknowledged write survived").containsAll(acknowledged);

      // The killed node comes back and catches up to the same state.
      victim.start();
      long caughtUp = awaitConverged(nodes);
      assertThat(caughtUp).isGreaterThanOrEqualTo(seq);
      assertThat(CatalogDigest.of(victim.jdbcUrl())).isEqualTo(CatalogDigest.of(survivors.get(0).jdbcUrl()));
    } finally {
      nodes.forEach(ProcessNode::close);
    }
  }

  /** Three node processes; all start again on fresh ports if one was taken before its node bound it. */
  private List<ProcessNode> startThree() {
    return Ports.retryOnBindConflict("3 node processes", () -> {
      String name = "crash-" + UUID.randomUUID();
      List<Integer> ports = Ports.take(3);
      List<ProcessNode> started = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          started.add(new ProcessNode("node-" + (char) ('a' + i), dir.resolve(name).resolve("n" + i), name, ports.get(i), ports, 3).start());
        }
        return started;
      } catch (RuntimeException e) {
        started.forEach(ProcessNode::close);
        throw e;
      }
    });
  }

  static ApiClient loginWhenReady(ProcessNode node) {
    return Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(250))
        .success("admin login on " + node.nodeId(), () -> new ApiClient(node.baseUrl()).asAdmin());
  }

  static void awaitMembers(ApiClient viewer, int count) {
    Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(200)).until("the cluster view listing " + count + " members",
        () -> viewer.get("/api/cluster").json().getJsonArray("members").size(), size -> size == count);
  }

  static JsonObject awaitHolder(ApiClient viewer) {
    return Await.within(Duration.ofSeconds(20)).every(Duration.ofMillis(50))
        .until("a token holder", () -> viewer.get("/api/cluster").json(), view -> view.getString("tokenHolder") != null);
  }

  static long awaitConverged(List<ProcessNode> nodes) {
    List<Long> seqs = Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(200)).until("the same last seq on " + nodes.size() + " nodes",
        () -> {
          List<Long> last = new ArrayList<>();
          for (ProcessNode n : nodes) {
            last.add(CatalogDigest.lastSeq(n.jdbcUrl()));
          }
          return last;
        },
        last -> last.stream().distinct().count() == 1);
    return seqs.get(0);
  }

  static Set<String> usernames(ApiClient admin) {
    Set<String> names = ConcurrentHashMap.newKeySet();
    int offset = 0;
    while (true) {
      var items = admin.get("/api/users?limit=500&offset=" + offset).items();
      items.forEach(u -> names.add(((JsonObject) u).getString("username")));
      if (items.size() < 500) {
        return names;
      }
      offset += 500;
    }
  }
}
