package io.dspot.node;

import io.dspot.config.JvmConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar dspot.jar} cannot size its own heap: a jar's manifest carries no JVM options,
 * and the JVM's defaults on a server take a quarter of its RAM as the heap limit and G1 with
 * structures sized for it (a node at 10,000 songs sat at ~500 MB, mostly heap it did not need).
 * So the first JVM starts the node once more, in a JVM sized by {@code jvm.heapMegabytes}, passes
 * its arguments and streams on, and forwards its end: SIGTERM/SIGINT to the first stops the node,
 * the node's exit code is the first's. The node watches its stdin, a pipe from the first JVM: when
 * that closes (the first was killed, even with -9), the node stops too, so no orphan keeps serving.
 *
 * <p>{@code --import DIR} runs a node that imports the folder and exits: a batch job of seconds, in
 * which a cold JVM's C2 compiler took about half the CPU (bench/import.md) for code the process
 * exits before it pays back. That JVM gets {@link #IMPORT_FLAGS} on top, and a class-data-sharing
 * archive made by the first import of the jar ({@link ImportClassArchive}); a long-running node gets neither.
 *
 * <p>Not re-launched: a JVM started with its own heap or collector flags (the operator chose), one
 * not started with {@code -jar} (tests, tools), or {@code jvm.heapMegabytes = 0}.
 */
final class SmallJvm {

  /** Set on the node's JVM: it was started by the first one. */
  static final String RELAUNCHED = "dspot.relaunched";
  /**
   * Chosen with bench/footprint.sh at 10,000 songs (see bench/footprint.md): the serial collector
   * has no per-region bookkeeping (G1's took ~50 MB at a 6 GB limit) and its pauses at this heap
   * size are a few ms; the free ratios give memory back after an import (AfterImport), at the
   * first full collection instead of 0, 10, 40 and then 100 % of the excess on four successive ones
   * ({@code ShrinkHeapInSteps}, which dampens a heap that shrinks between phases of a program that
   * calls {@code System.gc()} often; a node calls it once per import). No hsperfdata file: its
   * sampler woke the JVM 20 times a second (~0.07 % of a core idle) for jps and jstat only (jcmd
   * and NMT work without it).
   */
  static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
      "-XX:-ShrinkHeapInSteps", "-Xss512k", "-XX:-UsePerfData");
  /**
   * glibc gives each thread that mallocs its own arena (up to 8 per core), each growing apart:
   * tens of MB of a JVM's RSS that no heap flag bounds. Two are plenty for a node's native allocations.
   */
  static final String MALLOC_ARENAS = "2";
  /**
   * Netty's buffer-leak detection off in the node's JVM: by default it wraps one buffer in 128 in
   * a tracker and checks every message written through a pipeline, on every request
   * (bench/ranges.md, round 7). A diagnostic for Netty's users' code; the test suite, which runs
   * nodes in its own JVM, keeps it on. An operator's own {@code -Dio.netty.leakDetection.level}
   * comes later on the command line and wins.
   */
  static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";
  /**
   * glibc's threshold (bytes) above which free memory at the top of a process's heap goes back to the
   * kernel. Set, it also stops glibc from raising its mmap threshold (128 KB) after each large free,
   * which is what let a PostgreSQL backend keep the large blocks a query had once used (an import's
   * 200-song batches, the 100,000 paths of its listing) as its own memory: during a 100,000-song import
   * the pool's ~5 backends held 13-19 MB with it, 23-31 MB without (bench/footprint.md, round 7). The
   * embedded PostgreSQL inherits the node JVM's environment, so its backends get it too.
   */
  static final String MALLOC_TRIM_THRESHOLD = "131072";
  /**
   * glibc keeps what the JVM's native side freed (the import's buffers, the compiler's arenas)
   * instead of giving it back: a trim took 20 MB off an idle node at 10,000 songs. Every 30 s costs
   * a few ms. The flag exists from 17.0.9 on; an older JVM is started without it.
   */
  static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=30000";
  /**
   * Added for {@code --import} only, with {@code -Xms} at the heap's limit (a batch job need not
   * collect and grow its way up, nor give memory back): C1 alone, which compiles fast and whose code
   * is good enough for a run of seconds. Before the caller's own options, so an operator's choice wins.
   */
  static final List<String> IMPORT_FLAGS = List.of("-XX:TieredStopAtLevel=1");
  static final String IMPORT_ARGUMENT = "--import";
  private static final List<String> OPERATOR_SIZES = List.of("-Xmx", "-XX:MaxHeapSize", "-XX:MaxRAM", "-Xss", "-XX:ThreadStackSize");
  private static final long STOP_GRACE_SECONDS = 60;

  private SmallJvm() {}

  /** Whether this JVM should start the node in a smaller one instead of running it itself. */
  static boolean wanted(JvmConfig jvm, List<String> jvmArguments, String classPath) {
    if (jvm.keepAsStarted() || System.getProperty(RELAUNCHED) != null) {
      return false;
    }
    boolean startedWithJar = classPath != null && classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator);
    return startedWithJar && jvmArguments.stream().noneMatch(SmallJvm::operatorChoice);
  }

  private static boolean operatorChoice(String argument) {
    boolean collector = argument.startsWith("-XX:+Use") && argument.endsWith("GC");
    return collector || OPERATOR_SIZES.stream().anyMatch(argument::startsWith);
  }

  static List<String> command(Path java, JvmConfig jvm, List<String> jvmArguments, String jar, String[] args, boolean canTrim) {
    return command(java, jvm, jvmArguments, jar, args, canTrim, List.of());
  }

  /** {@code archiveFlags}: an import's class-data-sharing flags ({@link ImportClassArchive}), before the caller's own options. */
  static List<String> command(Path java, JvmConfig jvm, List<String> jvmArguments, String jar, String[] args, boolean canTrim,
      List<String> archiveFlags) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(FLAGS);
    if (canTrim) {
      command.add(TRIM_NATIVE_HEAP);
    }
    command.add("-Xmx" + jvm.heapMegabytes() + "m");
    command.add(NO_LEAK_DETECTION);
    if (List.of(args).contains(IMPORT_ARGUMENT)) {
      command.addAll(IMPORT_FLAGS);
      command.add("-Xms" + jvm.heapMegabytes() + "m");
      command.addAll(archiveFlags);
    }
    command.addAll(jvmArguments);
    command.add("-D" + RELAUNCHED + "=true");
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    return command;
  }

  static boolean wanted(JvmConfig jvm) {
    return wanted(jvm, ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"));
  }

  /** Runs the node in the smaller JVM until it ends; returns its exit code. */
  static int run(JvmConfig jvm, String[] args) {
    String jar = System.getProperty("java.class.path");
    List<String> jvmArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
    ImportClassArchive.Plan archive = List.of(args).contains(IMPORT_ARGUMENT) && jvmArguments.stream().noneMatch(SmallJvm::sharingChoice)
        ? ImportClassArchive.plan(Path.of(jar), ImportClassArchive.cacheDir(System.getenv(), System.getProperty("user.home")),
            Runtime.version().toString(), ProcessHandle.current().pid())
        : ImportClassArchive.Plan.NONE;
    List<String> command = command(Path.of(System.getProperty("java.home"), "bin", "java"), jvm, jvmArguments, jar, args,
        knowsNativeHeapTrim(), archive.flags());
    Process node;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
      environment(builder.environment());
      node = builder.start();
    } catch (IOException e) {
      System.err.println("dspot: cannot start the node's JVM (" + String.join(" ", command) + "): " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "node-jvm-stop"));
    // This JVM only waits from now on: give back the heap that reading the config and the jar
    // touched (G1 shrinks its heap after a full collection; ~10 MB of the launcher's RSS).
    System.gc();
    while (true) {
      try {
        int exit = node.waitFor();
        ImportClassArchive.settle(archive, exit == 0);
        return exit;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The node JVM's environment (and so its PostgreSQL's): our malloc settings, unless the operator set their own. */
  static void environment(Map<String, String> env) {
    env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
    env.putIfAbsent("MALLOC_TRIM_THRESHOLD_", MALLOC_TRIM_THRESHOLD);
  }

  /** The operator's own class-data-sharing flags: then the import gets no archive of ours. */
  private static boolean sharingChoice(String argument) {
    return argument.startsWith("-Xshare") || argument.startsWith("-XX:SharedArchiveFile") || argument.startsWith("-XX:ArchiveClassesAtExit");
  }

  /** The node runs on this same java binary, so the flag it knows is the flag the node knows. */
  private static boolean knowsNativeHeapTrim() {
    try {
      ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("TrimNativeHeapInterval");
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static void stop(Process node) {
    node.destroy();
    try {
      if (!node.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    } catch (InterruptedException e) {
      node.destroyForcibly();
    }
  }

  /** In the node's JVM: stop when the first JVM is gone (its end of our stdin closed). */
  static void stopWithLauncher() {
    if (System.getProperty(RELAUNCHED) == null) {
      return;
    }
    Thread watcher = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // The first JVM never writes; anything read is ignored.
        }
      } catch (IOException e) {
        // Closed or broken: the first JVM is gone.
      }
      System.err.println("dspot: the launching JVM is gone; stopping the node");
      System.exit(1);
    }, "launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
