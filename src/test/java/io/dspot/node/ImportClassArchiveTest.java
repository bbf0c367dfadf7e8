package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --import JVM's class-data-sharing archive: dumped by the first import of a jar, mapped by the next, never half or stale. */
class ImportClassArchiveTest {

  @TempDir Path dir;

  @Test
  void theFirstImportDumpsTheNextMapsAndARebuiltJarDumpsAgain() throws Exception {
    Path jar = Files.writeString(dir.resolve("dspot.jar"), "jar bytes");
    Path cache = dir.resolve("cache");

    ImportClassArchive.Plan first = ImportClassArchive.plan(jar, cache, "17.0.15+6", 42);
    assertThat(first.flags()).containsExactly("-XX:ArchiveClassesAtExit=" + first.dumping(), "-Xlog:cds*=off");
    assertThat(first.dumping().getParent()).isEqualTo(cache);
    Files.writeString(first.dumping(), "archive"); // what the JVM writes at its exit
    ImportClassArchive.settle(first, true);
    assertThat(first.archive()).exists();
    assertThat(first.dumping()).doesNotExist();

    ImportClassArchive.Plan second = ImportClassArchive.plan(jar, cache, "17.0.15+6", 43);
    assertThat(second.flags()).containsExactly("-XX:SharedArchiveFile=" + first.archive(), "-Xlog:cds*=off");
    assertThat(second.dumping()).isNull();

    assertThat(ImportClassArchive.plan(jar, cache, "21.0.2", 44).archive()).as("another JDK").isNotEqualTo(first.archive());
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
    ImportClassArchive.Plan rebuilt = ImportClassArchive.plan(jar, cache, "17.0.15+6", 45);
    assertThat(rebuilt.dumping()).as("a rebuilt jar dumps its own").isNotNull();
    Path otherJar = Files.writeString(Files.createDirectories(dir.resolve("other")).resolve("dspot.jar"), "another install");
    ImportClassArchive.Plan other = ImportClassArchive.plan(otherJar, cache, "17.0.15+6", 46);
    Files.writeString(other.dumping(), "archive");
    ImportClassArchive.settle(other, true);
    Files.writeString(rebuilt.dumping(), "archive");
    ImportClassArchive.settle(rebuilt, true);
    assertThat(first.archive()).as("the old build's archive goes").doesNotExist();
    assertThat(rebuilt.archive()).exists();
    assertThat(other.archive()).as("another jar's archive stays").exists();
  }

  @Test
  void aFailedImportsDumpIsDroppedAndNoCacheDirectoryMeansNoFlags() throws Exception {
    Path jar = Files.writeString(dir.resolve("dspot.jar"), "jar bytes");
    ImportClassArchive.Plan plan = ImportClassArchive.plan(jar, dir.resolve("cache"), "17", 7);
    Files.writeString(plan.dumping(), "half an archive");
    ImportClassArchive.settle(plan, false);
    assertThat(plan.dumping()).doesNotExist();
    assertThat(plan.archive()).doesNotExist();

    assertThat(ImportClassArchive.plan(jar, null, "17", 7).flags()).isEmpty();
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    assertThat(ImportClassArchive.plan(jar, notADirectory.resolve("cache"), "17", 7).flags()).isEmpty();
    assertThat(ImportClassArchive.plan(dir.resolve("missing.jar"), dir, "17", 7).flags()).isEmpty();
  }

  @Test
  void theCacheDirectoryFollowsXdgElseTheHome() {
    assertThat(ImportClassArchive.cacheDir(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u")).isEqualTo(Path.of("/xdg/dspot"));
    assertThat(ImportClassArchive.cacheDir(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/dspot"));
    assertThat(ImportClassArchive.cacheDir(Map.of(), null)).isNull();
  }

  @Test
  void onlyAnImportsJvmGetsTheArchiveFlagsBeforeTheCallersOwn() {
    List<String> flags = List.of("-XX:SharedArchiveFile=/c/a.jsa", "-Xlog:cds*=off");
    List<String> importing = SmallJvm.command(Path.of("/jdk/bin/java"), new io.dspot.config.JvmConfig(200), List.of("-Dx=y"), "/opt/dspot.jar",
        new String[] {"--import", "/music"}, true, flags);
    assertThat(importing).containsAll(flags);
    assertThat(importing.indexOf("-Dx=y")).isGreaterThan(importing.indexOf(flags.get(0)));
    List<String> serving = SmallJvm.command(Path.of("/jdk/bin/java"), new io.dspot.config.JvmConfig(200), List.of(), "/opt/dspot.jar",
        new String[] {"--conf", "node.json"}, true, flags);
    assertThat(serving).doesNotContainAnyElementsOf(flags);
  }
}
