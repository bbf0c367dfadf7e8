package io.dspot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings that keep an idle node idle: defaults, environment names and bad values. */
class IdleConfigTest {

  @TempDir
  Path dir;

  @Test
  void theScrubRestsAnHourBetweenPassesUnlessToldOtherwise() throws Exception {
    Path file = Files.writeString(dir.resolve("n.json"), "{}");
    assertThat(ConfigLoader.load(file, Map.of()).replication().scrubRestSeconds()).isEqualTo(3_600);
    assertThat(ConfigLoader.load(file, Map.of("DSPOT_REPLICATION_SCRUB_REST_SECONDS", "5")).replication().scrubRestSeconds()).isEqualTo(5);
  }

  @Test
  void aScrubRestOutOfBoundsNamesTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("n.json"), "{\"replication\":{\"scrubRestSeconds\":0}}");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("replication.scrubRestSeconds");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DSPOT_REPLICATION_SCRUB_REST_SECONDS", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("replication.scrubRestSeconds");
  }
}
