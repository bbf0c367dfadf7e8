package io.dspot.log;

import io.dspot.testkit.CatalogDigest;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
    String name = "crash-" + UUID.randomUUID();
    List<Integer> ports = List.of(TestNode.freePort(), TestNode.freePort(), TestNode.freePort());
    List<ProcessNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(new ProcessNode("node-" + (char) ('a' + i), dir.resolve("n" + i), name, ports.get(i), ports, 3).start());
      }
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
            ApiClient.Reply r = victimClient.post("/api/users", new JsonObject().put("username", user).put("password", "pw-" + user).put("role", "listener"));
            if (r.status() == 201) {
              acknowledged.add(user);
            }
          } catch (RuntimeException e) {
            // the node went away under us
          }
        }
      });
      writer.start();
      long deadline = System.currentTimeMillis() + 20_000;
      JsonObject before = viewer.get("/api/cluster").json();
      while (!victim.nodeId().equals(before.getString("tokenHolder")) || acknowledged.size() < 3) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the writing node never held the token: " + before.encode());
        }
        Thread.sleep(50);
        before = viewer.get("/api/cluster").json();
      }
      long epochBefore = before.getLong("epoch");
      victim.kill9();
      writing.set(false);
      writer.join(20_000);

      // The survivors go on: the first write after the kill commits under a regenerated token.
      ProcessNode survivor = nodes.get(0);
      ApiClient survivorView = loginWhenReady(survivor);
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

  static ApiClient loginWhenReady(ProcessNode node) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        return new ApiClient(node.baseUrl()).asAdmin();
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
  }

  static void awaitMembers(ApiClient viewer, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (viewer.get("/api/cluster").json().getJsonArray("members").size() != count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("cluster never had " + count + " members");
      }
      Thread.sleep(200);
    }
  }

  static JsonObject awaitHolder(ApiClient viewer) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      JsonObject view = viewer.get("/api/cluster").json();
      if (view.getString("tokenHolder") != null) {
        return view;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no token holder: " + view.encodePrettily());
      }
      Thread.sleep(50);
    }
  }

  static long awaitConverged(List<ProcessNode> nodes) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      List<Long> seqs = new ArrayList<>();
      for (ProcessNode n : nodes) {
        seqs.add(CatalogDigest.lastSeq(n.jdbcUrl()));
      }
      if (seqs.stream().distinct().count() == 1) {
        return seqs.get(0);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not converged: " + seqs);
      }
      Thread.sleep(200);
    }
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
