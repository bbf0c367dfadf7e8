package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.config.JvmConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When {@code java -jar dspot.jar} starts the node in a smaller JVM, and with what command. */
class SmallJvmTest {

  private static final JvmConfig SMALL = new JvmConfig(128);

  @Test
  void aPlainJavaDashJarIsRelaunchedSmall() {
    assertThat(SmallJvm.wanted(SMALL, List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"), "target/dspot.jar")).isTrue();
  }

  @Test
  void theOperatorsOwnHeapOrCollectorOrAClasspathRunIsLeftAlone() {
    assertThat(SmallJvm.wanted(SMALL, List.of("-Xmx1g"), "dspot.jar")).isFalse();
    assertThat(SmallJvm.wanted(SMALL, List.of("-XX:+UseZGC"), "dspot.jar")).isFalse();
    assertThat(SmallJvm.wanted(SMALL, List.of("-XX:MaxRAMPercentage=50"), "dspot.jar")).isFalse();
    assertThat(SmallJvm.wanted(SMALL, List.of("-XX:+UseCompressedOops"), "dspot.jar")).as("not a collector").isTrue();
    assertThat(SmallJvm.wanted(SMALL, List.of(), "target/classes:lib/a.jar")).isFalse();
    assertThat(SmallJvm.wanted(new JvmConfig(0), List.of(), "dspot.jar")).as("jvm.heapMegabytes = 0").isFalse();
  }

  @Test
  void theNodesJvmGetsTheSizeTheCallersOptionsAndTheSameArguments() {
    List<String> command = SmallJvm.command(Path.of("/jdk/bin/java"), new JvmConfig(200), List.of("-Dfoo=bar"), "/opt/dspot.jar",
        new String[] {"--conf", "conf/node.json"}, true);
    assertThat(command.get(0)).isEqualTo("/jdk/bin/java");
    assertThat(command).containsAll(SmallJvm.FLAGS).contains("-Xmx200m", "-Dfoo=bar", "-D" + SmallJvm.RELAUNCHED + "=true", SmallJvm.TRIM_NATIVE_HEAP);
    assertThat(command.subList(command.size() - 4, command.size())).containsExactly("-jar", "/opt/dspot.jar", "--conf", "conf/node.json");
    assertThat(command.indexOf("-Dfoo=bar")).as("the caller's options come after ours, so theirs win").isGreaterThan(command.indexOf("-Xmx200m"));
  }

  @Test
  void theNodesJvmRunsWithoutNettysLeakDetectionUnlessTheOperatorAsksForIt() {
    List<String> command = SmallJvm.command(Path.of("/jdk/bin/java"), SMALL, List.of(), "/opt/dspot.jar", new String[0], true);
    assertThat(command).contains("-Dio.netty.leakDetection.level=disabled");
    String paranoid = "-Dio.netty.leakDetection.level=paranoid";
    List<String> asked = SmallJvm.command(Path.of("/jdk/bin/java"), SMALL, List.of(paranoid), "/opt/dspot.jar", new String[0], true);
    assertThat(asked.indexOf(paranoid)).as("a later -D wins").isGreaterThan(asked.indexOf(SmallJvm.NO_LEAK_DETECTION));
  }

  @Test
  void theNodesJvmAndItsPostgresGetOurMallocSettingsUnlessTheOperatorSetTheirs() {
    Map<String, String> plain = new HashMap<>(Map.of("PATH", "/usr/bin"));
    SmallJvm.environment(plain);
    assertThat(plain).containsEntry("MALLOC_ARENA_MAX", "2").containsEntry("MALLOC_TRIM_THRESHOLD_", "131072").containsEntry("PATH", "/usr/bin");

    Map<String, String> operators = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "4", "MALLOC_TRIM_THRESHOLD_", "1048576"));
    SmallJvm.environment(operators);
    assertThat(operators).containsEntry("MALLOC_ARENA_MAX", "4").containsEntry("MALLOC_TRIM_THRESHOLD_", "1048576");
  }

  @Test
  void aJvmThatCannotTrimItsNativeHeapIsStartedWithoutTheFlag() {
    List<String> command = SmallJvm.command(Path.of("/jdk/bin/java"), SMALL, List.of(), "/opt/dspot.jar", new String[0], false);
    assertThat(command).doesNotContain(SmallJvm.TRIM_NATIVE_HEAP).contains("-Xmx128m");
  }

  @Test
  void anImportRunsOnC1AloneWithItsHeapFixedAndALongRunningNodeDoesNot() {
    List<String> importing = SmallJvm.command(Path.of("/jdk/bin/java"), new JvmConfig(200), List.of(), "/opt/dspot.jar",
        new String[] {"--conf", "conf/node.json", "--import", "/music"}, true);
    assertThat(importing).containsAll(SmallJvm.IMPORT_FLAGS).contains("-XX:TieredStopAtLevel=1", "-Xms200m", "-Xmx200m");
    assertThat(importing.lastIndexOf("-Xms200m")).as("the fixed heap comes after the node's -Xms32m, so it wins")
        .isGreaterThan(importing.indexOf("-Xms32m"));

    List<String> serving = SmallJvm.command(Path.of("/jdk/bin/java"), new JvmConfig(200), List.of(), "/opt/dspot.jar",
        new String[] {"--conf", "conf/node.json"}, true);
    assertThat(serving).doesNotContainAnyElementsOf(SmallJvm.IMPORT_FLAGS).doesNotContain("-Xms200m");
  }

  @Test
  void anOperatorsCompilerChoiceForAnImportWins() {
    List<String> command = SmallJvm.command(Path.of("/jdk/bin/java"), SMALL, List.of("-XX:TieredStopAtLevel=4"), "/opt/dspot.jar",
        new String[] {"--import", "/music"}, true);
    assertThat(command.indexOf("-XX:TieredStopAtLevel=4")).as("the JVM takes the last of a flag given twice")
        .isGreaterThan(command.indexOf("-XX:TieredStopAtLevel=1"));
  }
}
