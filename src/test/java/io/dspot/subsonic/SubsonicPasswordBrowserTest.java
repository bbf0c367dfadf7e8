package io.dspot.subsonic;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The account page's Subsonic panel in real Chromium (webtest/subsonic-password.test.mjs), checked with a real Subsonic client. */
class SubsonicPasswordBrowserTest {

  @Test
  void anAppPasswordGeneratedOnTheAccountPageLogsAnAppInUntilRevokedThere() throws Exception {
    BrowserScript.install();
    if (!Files.isDirectory(BrowserScript.WEBTEST.resolve("node_modules/subsonic-api"))) {
      BrowserScript.run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    try (TestNode node = TestNode.builder().start()) {
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "subsonic-password.test.mjs");
      script.environment().put("NODE_TLS_REJECT_UNAUTHORIZED", "0");
      script.environment().put("SCREENSHOT", Path.of("target/subsonic-password.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 3 - a generated app password").contains("ok 4 - revoking").contains("PASS: all steps passed");
    }
  }
}
