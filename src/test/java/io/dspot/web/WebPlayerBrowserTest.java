package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web player in real headless Chromium (Debian's, driven by playwright-core from webtest/):
 * log in, upload, search, play, seek, hostile tags as text, reset and change a password. Takes docs/screenshot.png on the way.
 */
class WebPlayerBrowserTest {

  private static final Path WEBTEST = Path.of("webtest");
  private static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void listenerJourneyWorksInARealBrowser() throws Exception {
    assertThat(Path.of(CHROMIUM)).as("Debian chromium is needed: apt-get install chromium").exists();
    if (!Files.isDirectory(WEBTEST.resolve("node_modules/playwright-core"))) {
      run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    try (TestNode node = TestNode.builder().start()) {
      ProcessBuilder test = new ProcessBuilder("node", "player.test.mjs");
      var env = test.environment();
      env.put("BASE_URL", node.baseUrl());
      env.put("ADMIN_USER", "admin");
      env.put("ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
      env.put("AUDIO_FILE", ApiClient.fixture("aurora.mp3").toString());
      env.put("AUDIO_TITLE_PART", "auror");
      env.put("HOSTILE_AUDIO_FILE", ApiClient.fixture("hostile.mp3").toString());
      env.put("SCREENSHOT", Path.of("docs/screenshot.png").toAbsolutePath().toString());
      env.put("CHROMIUM", CHROMIUM);
      env.put("CLUSTER_SCREENSHOT", Path.of("docs/cluster.png").toAbsolutePath().toString());
      String output = run(test, 180);
      assertThat(output).contains("ok 8 - cluster view").contains("ok 9 - admin view: reset").contains("ok 10 - change password")
          .contains("ok 11 - the player ran under a strict Content-Security-Policy").contains("ok 12");
    }
  }

  /** Runs a process in webtest/, fails the test with its output unless it exits 0. */
  private static String run(ProcessBuilder pb, int timeoutSeconds) throws Exception {
    File log = Files.createTempFile("webtest", ".log").toFile();
    Process p = pb.directory(WEBTEST.toFile()).redirectErrorStream(true).redirectOutput(log).start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String output = Files.readString(log.toPath());
    log.delete();
    System.out.println(output);
    assertThat(finished).as("%s timed out:%n%s", pb.command(), output).isTrue();
    assertThat(p.exitValue()).as("%s failed:%n%s", pb.command(), output).isZero();
    return output;
  }
}
