package io.dspot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  @Test
  void theHeapIsFoundAmongTheOtherSectionsWhateverTheirShape() throws Exception {
    Path full = Files.writeString(dir.resolve("full.json"), """
        {"node": {"id": "a", "tags": [1, {"jvm": {"heapMegabytes": 999}}]},
         "heapMegabytes": 998,
         "jvm": {"other": {"heapMegabytes": 997}, "heapMegabytes": 300, "after": [true, null]},
         "cluster": {"members": ["127.0.0.1:5701"]}}""");
    assertThat(JvmConfig.read(full, Map.of()).heapMegabytes()).as("only jvm.heapMegabytes counts").isEqualTo(300);
    Path quoted = Files.writeString(dir.resolve("quoted.json"), "{\"jvm\":{\"heapMegabytes\":\"256\"}}");
    assertThat(JvmConfig.read(quoted, Map.of()).heapMegabytes()).isEqualTo(256);
    Path nulled = Files.writeString(dir.resolve("nulled.json"), "{\"jvm\":{\"heapMegabytes\":null}}");
    assertThat(JvmConfig.read(nulled, Map.of()).heapMegabytes()).isEqualTo(JvmConfig.DEFAULT_HEAP_MEGABYTES);
    Path fraction = Files.writeString(dir.resolve("fraction.json"), "{\"jvm\":{\"heapMegabytes\":128.5}}");
    assertThatThrownBy(() -> JvmConfig.read(fraction, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("128.5");
    Path list = Files.writeString(dir.resolve("list.json"), "{\"jvm\":{\"heapMegabytes\":[128]}}");
    assertThatThrownBy(() -> JvmConfig.read(list, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("jvm.heapMegabytes");
    Path brokenLater = Files.writeString(dir.resolve("later.json"), "{\"jvm\":{\"heapMegabytes\":512}, \"http\": oops}");
    assertThat(JvmConfig.read(brokenLater, Map.of()).heapMegabytes()).as("a broken file is the full loader's to report")
        .isEqualTo(JvmConfig.DEFAULT_HEAP_MEGABYTES);
  }

  /**
   * The launching JVM reads this one key and then only waits; reading it must not start Vert.x's
   * logging (which brings up logback: ~650 classes and ~8 MB of that JVM's memory).
   */
  @Test
  void readingTheHeapLoadsNeitherVertxNorLogging() throws Exception {
    Path given = Files.writeString(dir.resolve("given.json"), "{\"jvm\":{\"heapMegabytes\":512}}");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process read = new ProcessBuilder(List.of(java.toString(), "-verbose:class", "-cp", System.getProperty("java.class.path"),
        ReadOnce.class.getName(), given.toString())).redirectErrorStream(true).start();
    String out = new String(read.getInputStream().readAllBytes());
    assertThat(read.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("heap 512").contains("com.fasterxml.jackson.core.JsonParser")
        .doesNotContain("io.vertx.").doesNotContain("ch.qos.logback").doesNotContain("org.slf4j");
  }

  /** Run in a JVM of its own by the test above. */
  public static final class ReadOnce {
    public static void main(String[] args) {
      System.out.println("heap " + JvmConfig.read(Path.of(args[0]), Map.of()).heapMegabytes());
    }
  }
}
