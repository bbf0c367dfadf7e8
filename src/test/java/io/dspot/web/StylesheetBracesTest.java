package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every stylesheet of the web player closes each block it opens. A brace lost in a merge is no
 * error to a browser: the rules after it silently nest inside a media query (it happened: the song
 * list lost its columns on desktop), so it is checked here, outside comments and strings.
 */
class StylesheetBracesTest {

  @Test
  void everyBlockThatOpensCloses() throws IOException {
    List<Path> sheets;
    try (Stream<Path> files = Files.walk(Path.of("webroot"))) {
      sheets = files.filter(p -> p.toString().endsWith(".css")).toList();
    }
    assertThat(sheets).isNotEmpty();
    for (Path sheet : sheets) {
      assertThat(unclosed(Files.readString(sheet))).as(sheet + ": blocks left open at the end (or closed before opening: -1)").isZero();
    }
  }

  /** Blocks still open at the end; -1 as soon as a brace closes a block that was never opened. */
  static int unclosed(String css) {
    int depth = 0;
    for (int i = 0; i < css.length(); i++) {
      char c = css.charAt(i);
      if (c == '/' && i + 1 < css.length() && css.charAt(i + 1) == '*') {
        int end = css.indexOf("*/", i + 2);
        i = end < 0 ? css.length() : end + 1;
      } else if (c == '"' || c == '\'') {
        int end = css.indexOf(c, i + 1);
        i = end < 0 ? css.length() : end;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth < 0) {
        return -1;
      }
    }
    return depth;
  }

  @Test
  void theCountSeesALostBraceAndIgnoresCommentsAndStrings() {
    assertThat(unclosed("@media (max-width: 760px) { .a { color: red; }\n.b { color: blue; }")).isEqualTo(1);
    assertThat(unclosed(".a { content: '}'; } /* { */")).isZero();
    assertThat(unclosed("}")).isEqualTo(-1);
  }
}
