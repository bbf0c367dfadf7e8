package io.dspot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.vertx.core.VerticleBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module graph as the README draws it, enforced: which package may depend on which (acyclic,
 * floors from bootstrap down to config and bus), and that a module's internals are used only
 * inside it — other modules see its front door (addresses, message records, one entry class),
 * and only {@code node}, the bootstrap, builds verticles.
 */
class ArchitectureTest {

  private static final String ROOT = "io.dspot";

  /** Package → the packages of ours it may depend on (besides itself). node may use everything. */
  static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("web", Set.of("metrics", "subsonic", "ha", "catalog", "security", "ingest", "streaming", "replication", "storage", "cluster", "log", "http", "pki", "config", "bus"));
    ALLOWED.put("subsonic", Set.of("catalog", "security", "streaming", "ingest", "http", "bus"));
    ALLOWED.put("demo", Set.of("ingest", "storage", "config", "bus"));
    ALLOWED.put("ingest", Set.of("metrics", "catalog", "replication", "storage", "config", "bus"));
    ALLOWED.put("streaming", Set.of("metrics", "catalog", "replication", "storage", "log", "cluster", "config", "bus"));
    ALLOWED.put("replication", Set.of("catalog", "log", "storage", "cluster", "http", "config", "bus"));
    ALLOWED.put("catalog", Set.of("log", "storage", "config", "bus"));
    ALLOWED.put("security", Set.of("log", "config", "bus"));
    ALLOWED.put("ha", Set.of("cluster", "pki", "http", "config", "bus"));
    ALLOWED.put("log", Set.of("metrics", "cluster", "http", "config", "bus"));
    ALLOWED.put("storage", Set.of("http", "config", "bus"));
    ALLOWED.put("cluster", Set.of("metrics", "pki", "config", "bus"));
    ALLOWED.put("pki", Set.of("config"));
    ALLOWED.put("http", Set.of("bus"));
    ALLOWED.put("metrics", Set.of("config"));
    ALLOWED.put("config", Set.of());
    ALLOWED.put("bus", Set.of());
  }

  /**
   * Module → the simple names of the classes other modules may use. Verticles are not listed:
   * only {@code node} deploys them. Nested types of a listed class are part of its front door.
   */
  static final Map<String, Set<String>> FRONT_DOORS = Map.ofEntries(
      Map.entry("catalog", Set.of("CatalogAddresses", "Song", "SongDraft", "SongTags", "SongDeleted")),
      Map.entry("security", Set.of("SecurityAddresses", "RevocableCache")),
      Map.entry("ingest", Set.of("IngestAddresses", "UploadReceiver", "FileToAdd")),
      Map.entry("streaming", Set.of("MediaStreams")),
      Map.entry("subsonic", Set.of("SubsonicRoutes")),
      Map.entry("storage", Set.of("BlobStore", "StorageAddresses", "BlobRoutes", "StorageStatus", "DiskUsage")),
      Map.entry("replication", Set.of("ReplicationAddresses")),
      Map.entry("ha", Set.of("HaAddresses", "VipScripts")),
      Map.entry("cluster", Set.of("ClusterAddresses", "LiveNodes", "PeerClient", "RelayClient", "MembershipView")),
      Map.entry("pki", Set.of("ClusterIdentity", "MemberTls", "CertsDir", "Pem", "Keys")),
      Map.entry("log", Set.of("OrderedLog", "OrderedCommand", "Decision", "Applier", "LogAddresses", "LogRoutes")));

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages(ROOT);

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void everyPackageIsPlacedOnAFloor() {
    Set<String> known = new java.util.HashSet<>(ALLOWED.keySet());
    known.add("node");
    List<String> unplaced = MAIN.stream().map(c -> module(c)).distinct().filter(m -> m != null && !known.contains(m)).toList();
    org.assertj.core.api.Assertions.assertThat(unplaced).as("packages missing from ArchitectureTest.ALLOWED").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> eachPackageDependsOnlyOnTheFloorsBelowIt() {
    return ALLOWED.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
      String[] forbidden = ALLOWED.keySet().stream()
          .filter(other -> !other.equals(entry.getKey()) && !entry.getValue().contains(other))
          .map(other -> ROOT + "." + other + "..")
          .toArray(String[]::new);
      String[] withNode = Stream.concat(Stream.of(forbidden), Stream.of(ROOT + ".node..")).toArray(String[]::new);
      ArchRule rule = noClasses().that().resideInAPackage(ROOT + "." + entry.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(withNode)
          .because("the module graph in the README allows " + entry.getKey() + " -> " + entry.getValue());
      rule.check(MAIN);
    }));
  }

  /**
   * The same floors, read from the sources' import lines: a constant (a bus address, say) is
   * inlined by the compiler and leaves no trace in the bytecode ArchUnit reads.
   */
  @Test
  void importsFollowTheFloorsToo() throws java.io.IOException {
    java.util.regex.Pattern ours = java.util.regex.Pattern.compile("^import (?:static )?io\\.dspot\\.([a-z]+)\\.", java.util.regex.Pattern.MULTILINE);
    List<String> violations = new java.util.ArrayList<>();
    java.nio.file.Path sources = java.nio.file.Path.of("src/main/java/io/dspot");
    try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(sources)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = sources.relativize(file).getName(0).toString();
        if (from.equals("node") || !ALLOWED.containsKey(from)) {
          continue;
        }
        var imports = ours.matcher(java.nio.file.Files.readString(file));
        while (imports.find()) {
          String to = imports.group(1);
          if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
            violations.add(sources.relativize(file) + " imports io.dspot." + to);
          }
        }
      }
    }
    org.assertj.core.api.Assertions.assertThat(violations).as("imports the module graph does not allow").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> otherModulesUseOnlyAFrontDoor() {
    return FRONT_DOORS.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
      String module = entry.getKey();
      DescribedPredicate<JavaClass> internals = DescribedPredicate.describe(
          module + " classes other than " + entry.getValue(),
          c -> module.equals(module(c)) && !entry.getValue().contains(outermost(c).getSimpleName()));
      noClasses().that().resideOutsideOfPackages(ROOT + "." + module + "..", ROOT + ".node..")
          .should().dependOnClassesThat(internals)
          .because("a module's internals are its own; use its front door " + entry.getValue())
          .check(MAIN);
    }));
  }

  @Test
  void onlyTheBootstrapTouchesAnotherModulesVerticle() {
    ArchCondition<JavaClass> notAnotherModulesVerticle = new ArchCondition<>("not use another module's verticle") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          if (target.isAssignableTo(VerticleBase.class) && module(target) != null && !module(target).equals(module(origin))) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
    classes().that().resideOutsideOfPackage(ROOT + ".node..").should(notAnotherModulesVerticle).check(MAIN);
  }

  /** io.dspot.catalog.SongStore → "catalog"; null outside our packages. */
  static String module(JavaClass c) {
    String pkg = c.getPackageName();
    if (!pkg.startsWith(ROOT + ".")) {
      return null;
    }
    String rest = pkg.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private static JavaClass outermost(JavaClass c) {
    JavaClass current = c;
    while (current.getEnclosingClass().isPresent()) {
      current = current.getEnclosingClass().get();
    }
    return current;
  }
}
