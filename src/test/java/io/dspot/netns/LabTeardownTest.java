package io.dspot.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ha/lab} leaves nothing behind: not when interrupted while building, not when its owner died. */
class LabTeardownTest {

  @TempDir Path dir;

  @Test
  void anInterruptedBuildRemovesWhatItMade() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    Process build = new ProcessBuilder("env", "DSPOT_LAB_TAG=" + tag, "DSPOT_LAB_DIR=" + dir, TwoNetworkLab.SCRIPT.toString(), "net")
        .redirectErrorStream(true).start();
    try {
      Await.within(Duration.ofSeconds(30)).every(Duration.ofMillis(20))
          .until("the build under way", () -> !TwoNetworkLab.namespacesOf(tag).isEmpty());
      build.toHandle().destroy(); // SIGTERM, as an interrupted run gets
      assertThat(build.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String out = new String(build.getInputStream().readAllBytes());
      assertThat(out).contains("removing it");
      assertThat(TwoNetworkLab.namespacesOf(tag)).isEmpty();
    } finally {
      TwoNetworkLab.run(List.of("DSPOT_LAB_TAG=" + tag, "DSPOT_LAB_DIR=" + dir), "down");
    }
  }

  @Test
  void theNextRunSweepsARunWhoseOwnerDied() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String tag = UUID.randomUUID().toString().substring(0, 6);
    List<String> env = List.of("DSPOT_LAB_TAG=" + tag, "DSPOT_LAB_DIR=" + dir.resolve("old"), "DSPOT_LAB_OWNER=" + gone.pid());
    try {
      TwoNetworkLab.run(env, "net");
      // A node process left running inside, as after a killed test JVM.
      Process leftover = new ProcessBuilder("ip", "netns", "exec", "dsl-" + tag + "-n1", "sleep", "600").start();
      Await.within(Duration.ofSeconds(5)).until("leftover running", () -> !NetnsLab.run("ip", "netns", "pids", "dsl-" + tag + "-n1").isBlank());

      // A run by hand (no owner) whose nodes still run is not a leftover.
      String byHand = UUID.randomUUID().toString().substring(0, 6);
      List<String> handEnv = List.of("DSPOT_LAB_TAG=" + byHand, "DSPOT_LAB_DIR=" + dir.resolve("hand"));
      TwoNetworkLab.run(handEnv, "net");
      Process handNode = new ProcessBuilder("ip", "netns", "exec", "dsl-" + byHand + "-n2", "sleep", "600").start();
      Await.within(Duration.ofSeconds(5)).until("hand-run node running", () -> !NetnsLab.run("ip", "netns", "pids", "dsl-" + byHand + "-n2").isBlank());

      // Another run's sweep (age limit lowered for the test) removes the dead owner's run and keeps the others.
      Files.createDirectories(dir.resolve("new"));
      try (TwoNetworkLab live = new TwoNetworkLab(dir.resolve("new"))) {
        TwoNetworkLab.run(List.of("DSPOT_LAB_DIR=" + dir.resolve("new"), "DSPOT_LAB_STALE_SECONDS=0",
            "DSPOT_LAB_TAG=" + live.tag), "sweep");
        assertThat(TwoNetworkLab.namespacesOf(tag)).isEmpty();
        assertThat(leftover.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("leftover killed").isTrue();
        assertThat(TwoNetworkLab.namespacesOf(live.tag)).as("the live run is kept").hasSize(6);
        assertThat(TwoNetworkLab.namespacesOf(byHand)).as("the busy run by hand is kept").hasSize(6);
        assertThat(handNode.isAlive()).isTrue();

        handNode.destroyForcibly().waitFor();
        TwoNetworkLab.run(List.of("DSPOT_LAB_DIR=" + dir.resolve("new"), "DSPOT_LAB_STALE_SECONDS=0",
            "DSPOT_LAB_TAG=" + live.tag), "sweep");
        assertThat(TwoNetworkLab.namespacesOf(byHand)).as("the idle run by hand is swept").isEmpty();
      } finally {
        TwoNetworkLab.run(handEnv, "down");
      }
    } finally {
      TwoNetworkLab.run(env, "down");
    }
  }
}
