package io.dspot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvm.heapMegabytes}: read before the node starts, so its bad values must be as clear as the others'. */
class JvmConfigTest {

  @TempDir
  Path dir;

  @Test
  void theHeapIsSmallByDefaultAndTheEnvironmentWins() throws Exception {
    Path none = Files.writeString(dir.resolve("none.json"), "{\"http\":{\"port\":8080}}");
    assertThat(JvmConfig.read(none, Map.of()).heapMegabytes()).isEqualTo(JvmConfig.DEFAULT_HEAP_MEGABYTES);
    Path given = Files.writeString(dir.resolve("given.json"), "{\"jvm\":{\"heapMegabytes\":512}}");
    assertThat(JvmConfig.read(given, Map.of()).heapMegabytes()).isEqualTo(512);
    assertThat(JvmConfig.read(given, Map.of("DSPOT_JVM_HEAP_MEGABYTES", "256")).heapMegabytes()).isEqualTo(256);
    assertThat(JvmConfig.read(given, Map.of("DSPOT_JVM_HEAP_MEGABYTES", "0")).keepAsStarted()).isTrue();
  }

  @Test
  void badHeapValuesNameTheKey() throws Exception {
    Path words = Files.writeString(dir.resolve("words.json"), "{\"jvm\":{\"heapMegabytes\":\"lots\"}}");
    assertThatThrownBy(() -> JvmConfig.read(words, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("jvm.heapMegabytes").hasMessageContaining("lots");
    Path tiny = Files.writeString(dir.resolve("tiny.json"), "{\"jvm\":{\"heapMegabytes\":16}}");
    assertThatThrownBy(() -> JvmConfig.read(tiny, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("jvm.heapMegabytes").hasMessageContaining("between 64");
    assertThatThrownBy(() -> JvmConfig.read(tiny, Map.of("DSPOT_JVM_HEAP_MEGABYTES", "-1"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("jvm.heapMegabytes");
  }

  @Test
  void aFileThatIsNotJsonIsLeftToTheFullLoaderToReport() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{ not json");
    assertThat(JvmConfig.read(broken, Map.of()).heapMegabytes()).isEqualTo(JvmConfig.DEFAULT_HEAP_MEGABYTES);
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of())).hasMessageContaining("not valid JSON");
  }
}
