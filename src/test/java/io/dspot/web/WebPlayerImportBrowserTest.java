package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin view's folder import in real headless Chromium: started there, its progress bar goes to the end. */
class WebPlayerImportBrowserTest {

  private static final int FILES = 40;

  @TempDir
  Path tmp;

  @Test
  void adminStartsAFolderImportAndWatchesItsProgressBar() throws Exception {
    BrowserScript.install();
    Path library = Files.createDirectories(tmp.resolve("library"));
    for (int i = 0; i < FILES; i++) {
      TaggedSongs.mp3(library.resolve(String.format("%02d.mp3", i)),
          new TaggedSongs.Tags("Imported " + i, "Import Band", "Import Album " + i / 10, i % 10 + 1, 1999, "Rock", null));
    }
    try (TestNode node = TestNode.builder().set("DSPOT_IMPORT_ROOTS", library.toString()).start()) {
      ProcessBuilder script = BrowserScript.script(node.baseUrl(), "node", "import.test.mjs");
      var env = script.environment();
      env.put("ADMIN_USER", "admin");
      env.put("ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
      env.put("LIBRARY", library.toString());
      env.put("OUTSIDE", tmp.toString());
      env.put("FILES", Integer.toString(FILES));
      env.put("SCREENSHOT", Path.of("target/player-import.png").toAbsolutePath().toString());
      String output = BrowserScript.run(script, 120);
      assertThat(output).contains("ok 1 - the admin starts an import").contains("ok 2 - a folder outside").contains("ok 3 - after a reload")
          .contains("PASS: all steps passed");
      assertThat(new ApiClient(node).asAdmin().get("/api/songs").json().getLong("total")).isEqualTo(FILES);
    }
  }
}
