package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownloadNameTest {

  @Test
  void lineBreaksAndQuotesCannotBreakTheHeader() {
    String header = DownloadName.attachment(DownloadName.song("Evil\r\nSet-Cookie: a=b", "x\"; filename=\"owned.exe", "audio/mpeg"));

    assertThat(header).doesNotContain("\r", "\n").startsWith("attachment; filename=\"");
    String quoted = header.substring("attachment; filename=\"".length(), header.indexOf("\"; filename*="));
    assertThat(quoted).doesNotContain("\"", "\\").endsWith(".mp3");
    assertThat(decodedStarName(header)).isEqualTo("Evil Set-Cookie_ a=b - x_; filename=_owned.exe.mp3");
  }

  @Test
  void pathsCannotClimbOutOfTheFolder() {
    assertThat(DownloadName.segment("../../etc/passwd", "x")).isEqualTo("_.._etc_passwd");
    assertThat(DownloadName.segment("..", "fallback")).isEqualTo("fallback");
    assertThat(DownloadName.segment("C:\\Windows\\", "x")).isEqualTo("C__Windows_");
  }

  @Test
  void nonAsciiIsKeptExactlyInTheStarNameAndReplacedInTheFallback() {
    String header = DownloadName.attachment(DownloadName.song("Björk", "Jóga 100%", "audio/flac"));

    assertThat(header).startsWith("attachment; filename=\"Bj_rk - J_ga 100_.flac\"");
    assertThat(decodedStarName(header)).isEqualTo("Björk - Jóga 100%.flac");
  }

  @Test
  void emptyAndOverlongNamesStillGiveAUsableName() {
    assertThat(DownloadName.song("  ", "\u0007", "audio/ogg; codecs=opus")).isEqualTo("Unknown artist - Untitled.ogg");
    assertThat(DownloadName.segment("a".repeat(500), "x")).hasSize(120);
    assertThat(DownloadName.extension("application/x-unknown")).isEqualTo("bin");
  }

  private static String decodedStarName(String header) {
    String encoded = header.substring(header.indexOf("filename*=UTF-8''") + "filename*=UTF-8''".length());
    assertThat(encoded).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]*");
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
