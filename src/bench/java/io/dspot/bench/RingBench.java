package io.dspot.bench;

import io.dspot.testkit.ProcessNode;
import io.dspot.testkit.Ports;
import io.dspot.testkit.TestNode;
import io.dspot.log.LogAddresses;
import io.dspot.testkit.RingCluster;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Benchmark of ordered catalog writes (token ring + outbox) on a 3-node cluster on loopback.
 * Not a test: run through {@code bench/ring.sh}, which builds the classes and cleans up.
 *
 * <p>Sections 1, 2 and 4 run three (then four) nodes inside this JVM (so the harness can listen
 * to each node's local {@code outbox.applied} publish); sections 3 and 5 run three nodes as
 * separate JVMs ({@link ProcessNode}) so their CPU can be read from /proc and they can be killed.
 * The report (markdown) goes to the file named by {@code -Dbench.report}; progress to stderr;
 * the in-JVM nodes' logs to {@code -Dbench.log}.
 */
public final class RingBench {

  // ---- knobs (system properties) ----
  static final Path BASE = Path.of(System.getProperty("bench.dir", "/tmp/ringbench-" + ProcessHandle.current().pid()));
  static final int LIGHT_WRITES = Integer.getInteger("bench.lightWrites", 300);
  static final int DURATION = Integer.getInteger("bench.duration", 15);
  static final int WARMUP = Integer.getInteger("bench.warmup", 3);
  static final List<Integer> CLIENTS = Arrays.stream(System.getProperty("bench.clients", "8,32").split(","))
      .map(String::trim).map(Integer::parseInt).toList();
  static final int HISTORY = Integer.getInteger("bench.history", 10_000);
  static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 30);
  static final int TRIALS = Integer.getInteger("bench.trials", 2);
  static final Set<String> SECTIONS = new TreeSet<>(Arrays.asList(System.getProperty("bench.sections", "1,2,3,4,5").split(",")));

  static final PrintStream progress = System.err;
  static final List<String[]> summary = new ArrayList<>();
  static final List<String> details = new ArrayList<>();
  static final List<String> notes = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Files.createDirectories(BASE);
    Path log = Path.of(System.getProperty("bench.log", BASE.resolve("nodes.log").toString()));
    System.setOut(new PrintStream(new FileOutputStream(log.toFile(), true), true));
    Instant started = Instant.now();
    int exit = 0;
    try {
      if (Stream.of("1", "2", "4", "6", "7").anyMatch(SECTIONS::contains)) {
        inJvmSections();
      }
      if (SECTIONS.contains("3") || SECTIONS.contains("5")) {
        processSections();
      }
    } catch (Throwable t) {
      t.printStackTrace(progress);
      notes.add("**The run failed**: " + t);
      exit = 1;
    }
    String report = report(started);
    Path out = Path.of(System.getProperty("bench.report", BASE.resolve("report.md").toString()));
    Files.writeString(out, report);
    progress.println("[ringbench] report written to " + out);
    System.exit(exit);
  }

  static void say(String fmt, Object... args) {
    progress.printf(Locale.ROOT, "[ringbench %s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().substring(11, 19),
        String.format(Locale.ROOT, fmt, args));
  }

  static void row(String metric, String result, String target, String verdict, String reference) {
    summary.add(new String[] {metric, result, target, verdict, reference});
  }

  // =====================================================================================
  // Sections 1, 2, 4: in-JVM nodes
  // =====================================================================================

  static void inJvmSections() throws Exception {
    try (JvmCluster cluster = new JvmCluster(3, 4)) {
      long[] boot = new long[3];
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        cluster.start(i);
        boot[i] = ms(System.nanoTime() - t0);
        say("in-JVM %s started in %d ms", JvmCluster.nodeName(i), boot[i]);
      }
      cluster.awaitMembers(3, 60_000);
      String token = login(cluster.url(0));
      cluster.awaitConverged(20_000);
      say("in-JVM cluster of 3 formed; lastSeq=%d", cluster.lastSeq(0));

      // Reference: the commit floor on the same embedded PostgreSQL.
      pgFloor(cluster.nodes.get(0).node().jdbcUrl());

      int maxClients = Math.max(16, CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(8));
      List<String> playlists = new ArrayList<>();
      Http http = new Http();
      for (int i = 0; i < maxClients; i++) {
        HttpResponse<String> r = http.send("POST", cluster.url(i % 3) + "/api/playlists", token, new JsonObject().put("name", "bench " + i).encode(), 10_000);
        if (r.statusCode() != 201) {
          throw new IllegalStateException("playlist create: " + r.statusCode() + " " + r.body());
        }
        playlists.add(new JsonObject(r.body()).getString("id"));
      }
      cluster.awaitConverged(20_000);

      AppliedTracker tracker = new AppliedTracker(cluster);
      try {
        if (SECTIONS.contains("1")) {
          lightLoad(cluster, token, playlists.get(0), tracker, false);
          lightLoad(cluster, token, playlists.get(0), tracker, true);
        }
        if (SECTIONS.contains("4")) {
          catchUp(cluster, token, playlists, boot);
        }
        if (SECTIONS.contains("2")) {
          for (int c : CLIENTS) {
            sustained(cluster, token, playlists, c, tracker);
          }
        }
        if (SECTIONS.contains("6")) {
          for (int c : CLIENTS) {
            logAlone(cluster, c);
          }
        }
        if (SECTIONS.contains("7")) {
          for (int c : CLIENTS) {
            sustainedWrk(cluster, token, playlists, c);
          }
        }
      } finally {
        tracker.close();
      }
    }
  }

  /** Raw PostgreSQL: INSERT + COMMIT (autocommit) on one connection, and pgbench with several clients if installed. */
  static void pgFloor(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        String sync = rs.getString(1);
        try (ResultSet f = s.executeQuery("SHOW fsync")) {
          f.next();
          notes.add("Embedded PostgreSQL under test: synchronous_commit=" + sync + ", fsync=" + f.getString(1) + ".");
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, payload jsonb)");
      }
      var insert = c.prepareStatement("INSERT INTO bench_floor (payload) VALUES (?::jsonb)");
      long[] lat = new long[500];
      for (int i = -50; i < lat.length; i++) {
        long t0 = System.nanoTime();
        insert.setString(1, "{\"name\":\"floor " + i + "\"}");
        insert.executeUpdate();
        if (i >= 0) {
          lat[i] = System.nanoTime() - t0;
        }
      }
      Stats st = Stats.of(lat);
      floorP50 = st.p50Ms();
      row("Reference: raw PostgreSQL INSERT+COMMIT (JDBC, 1 connection, same embedded PG, n=500)",
          st.p50p99(), "—", "", "floor for one commit (one fsync)");
      details.add(String.format(Locale.ROOT, "raw PG INSERT+COMMIT, 1 connection: %s, %.0f commits/s sequential", st.line(), 1000.0 / st.mean()));
      String pgbench = pgbench(jdbcUrl, 16, 5);
      if (pgbench != null) {
        details.add("pgbench (16 clients, 5 s, INSERT+COMMIT script, same embedded PG): " + pgbench);
        row("Reference: pgbench INSERT+COMMIT, 16 clients, 5 s (same embedded PG)", pgbench, "—", "",
            "group-commit ceiling for independent transactions");
      }
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE bench_floor");
      }
    }
  }

  static double floorP50 = Double.NaN;

  static String pgbench(String jdbcUrl, int clients, int seconds) {
    Path bin = Path.of("/usr/bin/pgbench");
    if (!Files.isExecutable(bin)) {
      notes.add("pgbench not installed: no multi-client PostgreSQL reference.");
      return null;
    }
    try {
      String port = jdbcUrl.replaceAll(".*://[^:]+:(\\d+)/.*", "$1");
      Path script = BASE.resolve("floor.sql");
      Files.writeString(script, "INSERT INTO bench_floor (payload) VALUES ('{\"name\":\"pgbench\"}');\n");
      ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-n", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-f", script.toString(),
          "-c", Integer.toString(clients), "-j", "2", "-T", Integer.toString(seconds), "postgres").redirectErrorStream(true)
          .redirectOutput(BASE.resolve("pgbench.out").toFile());
      // The embedded PostgreSQL asks for the password the node set (scram); pgbench reads it from the environment.
      String password = grab(jdbcUrl, "[?&]password=([^&]*)");
      if (password != null) {
        pb.environment().put("PGPASSWORD", java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8));
      }
      Process p = pb.start();
      // pgbench has been seen hanging on this machine (load ~20): never let it stop the run.
      if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        notes.add("pgbench did not finish within " + (seconds + 30) + " s and was stopped: no multi-client PostgreSQL reference.");
        return null;
      }
      String out = Files.readString(BASE.resolve("pgbench.out"));
      String tps = grab(out, "tps = ([0-9.]+)");
      String lat = grab(out, "latency average = ([0-9.]+ ms)");
      if (tps == null) {
        notes.add("pgbench failed: " + out.replace('\n', ' '));
        return null;
      }
      return String.format(Locale.ROOT, "%.0f commits/s, mean latency %s", Double.parseDouble(tps), lat);
    } catch (Exception e) {
      notes.add("pgbench failed: " + e);
      return null;
    }
  }

  static String grab(String text, String regex) {
    var m = java.util.regex.Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** Section 1: one client, sequential writes; commit latency and time until applied on all 3 nodes. */
  static void lightLoad(JvmCluster cluster, String token, String playlist, AppliedTracker tracker, boolean rotate) throws Exception {
    String mode = rotate ? "rotating over the 3 nodes (token moves every write)" : "always on node-a (token stays there)";
    say("section 1: %d sequential writes, %s", LIGHT_WRITES, mode);
    Http http = new Http();
    for (int i = 0; i < 30; i++) { // warm-up
      http.put(cluster.url(rotate ? i % 3 : 0) + "/api/playlists/" + playlist, token, "warm " + i);
    }
    long base = cluster.awaitConverged(20_000);
    long[] commit = new long[LIGHT_WRITES];
    long[] sent = new long[LIGHT_WRITES];
    int errors = 0;
    for (int i = 0; i < LIGHT_WRITES; i++) {
      long t0 = System.nanoTime();
      sent[i] = t0;
      int status = http.put(cluster.url(rotate ? i % 3 : 0) + "/api/playlists/" + playlist, token, "light " + i);
      commit[i] = System.nanoTime() - t0;
      if (status / 100 != 2) {
        errors++;
      }
    }
    long end = cluster.awaitConverged(20_000);
    boolean exact = end == base + LIGHT_WRITES;
    Stats c = Stats.of(commit);
    long[] allApplied = new long[LIGHT_WRITES];
    long[] firstPeer = new long[LIGHT_WRITES];
    long[] committed = new long[LIGHT_WRITES];
    if (exact) {
      for (int i = 0; i < LIGHT_WRITES; i++) {
        long seq = base + 1 + i;
        long last = 0;
        long secondNode = Long.MAX_VALUE;
        long[] at = new long[3];
        for (int n = 0; n < 3; n++) {
          at[n] = tracker.firstSeen(n, seq) - sent[i];
          last = Math.max(last, at[n]);
        }
        Arrays.sort(at);
        secondNode = at[1];
        committed[i] = at[0];
        allApplied[i] = last;
        firstPeer[i] = secondNode;
      }
    }
    Stats a = exact ? Stats.of(allApplied) : null;
    Stats m = exact ? Stats.of(firstPeer) : null;
    String tag = rotate ? "1 client, rotating nodes" : "1 client, same node";
    row("Commit latency, " + tag + " (request → 2xx, majority applied), n=" + LIGHT_WRITES, c.p50p99(), "p50 ≤ 10 ms (issue 13)",
        c.p50Ms() <= 10 ? "PASS" : "MISS",
        String.format(Locale.ROOT, "%.1fx the raw PG commit p50 (%.2f ms)", c.p50Ms() / floorP50, floorP50));
    row("Applied on all 3 nodes, " + tag + " (request → 3rd node's outbox.applied)",
        exact ? a.p50p99() : "n/a (sequence accounting off: " + (end - base) + " events for " + LIGHT_WRITES + " writes)",
        "— (issue: report)", "", exact ? "majority (2nd node) applied: " + m.p50p99() : "");
    details.add(String.format(Locale.ROOT, "section 1, %s: 2xx %s; committed on the holder (1st outbox.applied) %s; applied on majority (2nd) %s; "
        + "applied on all 3 %s; errors %d", mode, c.line(), exact ? Stats.of(committed).line() : "n/a", exact ? m.line() : "n/a",
        exact ? a.line() : "n/a", errors));
  }

  /** Section 2: C clients spread over the 3 nodes, each renaming its own playlist in a loop. */
  static void sustained(JvmCluster cluster, String token, List<String> playlists, int clients, AppliedTracker tracker) throws Exception {
    say("section 2: %d clients, %d s warm-up + %d s measured", clients, WARMUP, DURATION);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicBoolean measuring = new AtomicBoolean(false);
    List<List<Long>> lat = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      List<Long> mine = new ArrayList<>();
      lat.add(mine);
      int node = t % 3;
      String url = cluster.url(node) + "/api/playlists/" + playlists.get(t);
      int id = t;
      Thread th = new Thread(() -> {
        Http http = new Http();
        int k = 0;
        while (running.get()) {
          long t0 = System.nanoTime();
          int status;
          try {
            status = http.put(url, token, "c" + id + " v" + k++);
          } catch (Exception e) {
            status = -1;
          }
          long d = System.nanoTime() - t0;
          if (measuring.get()) {
            if (status / 100 == 2) {
              mine.add(d);
            } else {
              errors.incrementAndGet();
              statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            }
          }
        }
      }, "bench-client-" + t);
      th.start();
      threads.add(th);
    }
    Thread.sleep(WARMUP * 1000L);
    long seq0 = cluster.lastSeq(0);
    long[] batches0 = tracker.batches();
    CpuSample cpu0 = CpuSample.machine();
    long jvm0 = CpuSample.processTicks(ProcessHandle.current().pid());
    List<NodeProcs> pgs = postgresOfNodes();
    long pg0 = pgTicks(pgs);
    long x0 = cluster.xacts();
    long t0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep(DURATION * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - t0;
    long x1 = cluster.xacts();
    long pg1 = pgTicks(pgs);
    CpuSample cpu1 = CpuSample.machine();
    long jvm1 = CpuSample.processTicks(ProcessHandle.current().pid());
    long[] batches1 = tracker.batches();
    long seq1 = cluster.lastSeq(0);
    running.set(false);
    for (Thread th : threads) {
      th.join(30_000);
    }
    cluster.awaitConverged(30_000);
    long[] all = lat.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
    Stats s = Stats.of(all);
    double secs = elapsed / 1e9;
    double rate = all.length / secs;
    double seqRate = (seq1 - seq0) / secs;
    StringBuilder perNode = new StringBuilder();
    for (int n = 0; n < 3; n++) {
      long b = batches1[n] - batches0[n];
      perNode.append(String.format(Locale.ROOT, "%s%s %d batches (%.1f events/batch)", n == 0 ? "" : ", ", JvmCluster.nodeName(n), b,
          b == 0 ? 0.0 : (seq1 - seq0) / (double) b));
    }
    double machineBusy = cpu1.busyPercentSince(cpu0);
    double jvmPct = (jvm1 - jvm0) * 100.0 / CpuSample.HZ / secs;
    row(String.format(Locale.ROOT, "Sustained ordered writes/s, %d clients over 3 nodes, %d s", clients, DURATION),
        String.format(Locale.ROOT, "%.0f/s", rate), "≥ 5,000/s (issue 13)", rate >= 5000 ? "PASS" : "MISS",
        String.format(Locale.ROOT, "machine CPU busy %.0f%% of 2 cores; log advanced %.0f seq/s", machineBusy, seqRate));
    row(String.format(Locale.ROOT, "Commit latency at that load (%d clients)", clients), s.p50p99(), "— (issue: report)", "", "");
    details.add(String.format(Locale.ROOT,
        "section 2, %d clients: %d ok writes in %.1f s = %.0f/s (log advanced %d seq = %.0f/s); latency %s; errors %d %s; "
            + "outbox.applied publishes per node: %s; machine busy %.0f%% of 2 cores, this JVM (3 nodes + clients) %.0f%% of one core, "
            + "the 3 PostgreSQL servers %.0f%% of one core; CPU per ordered write: JVM %.2f ms + PG %.2f ms; "
            + "PostgreSQL transactions (xact_commit, 3 nodes) per write: %.1f",
        clients, all.length, secs, rate, seq1 - seq0, seqRate, s.line(), errors.get(), statuses, perNode, machineBusy, jvmPct,
        (pg1 - pg0) * 100.0 / CpuSample.HZ / secs, jvmPct * 10 / Math.max(1, seqRate), (pg1 - pg0) * 100.0 / CpuSample.HZ / secs * 10 / Math.max(1, seqRate),
        (x1 - x0) / (double) Math.max(1, seq1 - seq0)));
  }

  /**
   * Section 7: section 2's writes with the load generated outside this JVM, by wrk (one process per
   * node, one thread and one connection per client, so each connection renames its own playlist
   * in a closed loop over HTTPS with the session's Bearer header). Section 2's 128 java.net.http
   * clients share this JVM with the three nodes and took about a third of its CPU in a profile; here
   * the JVM runs only the nodes, and wrk's own CPU is reported apart.
   */
  static void sustainedWrk(JvmCluster cluster, String token, List<String> playlists, int clients) throws Exception {
    if (!new java.io.File("/usr/bin/wrk").canExecute() && !onPath("wrk")) {
      notes.add("Section 7 skipped: wrk is not installed (Debian package `wrk`).");
      return;
    }
    say("section 7: %d wrk connections over 3 nodes, %d s warm-up + %d s measured", clients, WARMUP, DURATION);
    Path lua = BASE.resolve("rename.lua");
    Files.writeString(lua, WRK_SCRIPT);
    List<Process> warm = startWrk(cluster, token, playlists, clients, WARMUP, lua, "warm");
    for (Process p : warm) {
      p.waitFor();
    }
    long seq0 = cluster.lastSeq(0);
    CpuSample cpu0 = CpuSample.machine();
    long jvm0 = CpuSample.processTicks(ProcessHandle.current().pid());
    List<NodeProcs> pgs = postgresOfNodes();
    long pg0 = pgTicks(pgs);
    long t0 = System.nanoTime();
    List<Process> wrks = startWrk(cluster, token, playlists, clients, DURATION, lua, "run");
    // wrk's CPU: sampled just before each process ends (its ticks are gone once it is reaped)
    long[] wrkTicks = new long[wrks.size()];
    while (wrks.stream().anyMatch(Process::isAlive)) {
      for (int i = 0; i < wrks.size(); i++) {
        if (wrks.get(i).isAlive()) {
          wrkTicks[i] = Math.max(wrkTicks[i], CpuSample.processTicks(wrks.get(i).pid()));
        }
      }
      Thread.sleep(100);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long pg1 = pgTicks(pgs);
    CpuSample cpu1 = CpuSample.machine();
    long jvm1 = CpuSample.processTicks(ProcessHandle.current().pid());
    long seq1 = cluster.lastSeq(0);
    cluster.awaitConverged(30_000);
    long ok = 0;
    long bad = 0;
    double p50 = 0;
    double p99 = 0;
    double wrkSecs = 0;
    List<String> perNode = new ArrayList<>();
    for (int i = 0; i < wrks.size(); i++) {
      String out = new String(wrks.get(i).getInputStream().readAllBytes());
      String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
          .orElseThrow(() -> new IllegalStateException("wrk gave no RESULT line: " + out));
      // RESULT requests statusErrors(>= 400) socketErrors p50us p99us durationUs
      String[] f = line.split(" ");
      long requests = Long.parseLong(f[1]);
      long non2xx = Long.parseLong(f[2]);
      long socket = Long.parseLong(f[3]);
      ok += requests - non2xx;
      bad += non2xx + socket;
      p50 = Math.max(p50, Double.parseDouble(f[4]) / 1000);
      p99 = Math.max(p99, Double.parseDouble(f[5]) / 1000);
      wrkSecs = Math.max(wrkSecs, Double.parseDouble(f[6]) / 1e6);
      perNode.add(String.format(Locale.ROOT, "%s %d (p50 %.1f ms, p99 %.1f ms)", JvmCluster.nodeName(i), requests - non2xx,
          Double.parseDouble(f[4]) / 1000, Double.parseDouble(f[5]) / 1000));
    }
    double rate = ok / wrkSecs;
    double seqRate = (seq1 - seq0) / secs;
    double machineBusy = cpu1.busyPercentSince(cpu0);
    double jvmPct = (jvm1 - jvm0) * 100.0 / CpuSample.HZ / secs;
    double wrkPct = Arrays.stream(wrkTicks).sum() * 100.0 / CpuSample.HZ / secs;
    double pgPct = (pg1 - pg0) * 100.0 / CpuSample.HZ / secs;
    row(String.format(Locale.ROOT, "Sustained ordered writes/s, load from wrk, %d connections over 3 nodes, %d s", clients, DURATION),
        String.format(Locale.ROOT, "%.0f/s", rate), "≥ 5,000/s (issue 13)", rate >= 5000 ? "PASS" : "MISS",
        String.format(Locale.ROOT, "machine CPU busy %.0f%% of 2 cores; log advanced %.0f seq/s", machineBusy, seqRate));
    row(String.format(Locale.ROOT, "Commit latency, load from wrk (%d connections)", clients),
        String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms (the worst node's)", p50, p99), "—", "", "");
    details.add(String.format(Locale.ROOT,
        "section 7, %d wrk connections: %d 2xx in %.1f s = %.0f/s (log advanced %d seq = %.0f/s); per node: %s; errors (non-2xx + socket) %d; "
            + "machine busy %.0f%% of 2 cores, this JVM (3 nodes, no clients) %.0f%% of one core, wrk %.0f%%, the 3 PostgreSQL servers %.0f%%; "
            + "CPU per ordered write: JVM %.2f ms + PG %.2f ms (+ wrk %.2f ms)",
        clients, ok, wrkSecs, rate, seq1 - seq0, seqRate, String.join(", ", perNode), bad, machineBusy, jvmPct, wrkPct, pgPct,
        jvmPct * 10 / Math.max(1, seqRate), pgPct * 10 / Math.max(1, seqRate), wrkPct * 10 / Math.max(1, seqRate)));
  }

  /** The three in-JVM nodes' PostgreSQL servers. */
  private static List<NodeProcs> postgresOfNodes() throws Exception {
    List<NodeProcs> pgs = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      pgs.add(NodeProcs.find(BASE.resolve("jvm-" + JvmCluster.nodeName(n))));
    }
    return pgs;
  }

  private static long pgTicks(List<NodeProcs> pgs) {
    return pgs.stream().mapToLong(p -> p.ticks()[1]).sum();
  }

  /** One wrk per node: client t renames playlists.get(t) on node t mod 3, as in section 2. */
  private static List<Process> startWrk(JvmCluster cluster, String token, List<String> playlists, int clients, int seconds,
      Path lua, String tag) throws Exception {
    List<Process> started = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      List<String> mine = new ArrayList<>();
      for (int t = n; t < clients; t += 3) {
        mine.add(playlists.get(t));
      }
      if (mine.isEmpty()) {
        continue;
      }
      ProcessBuilder pb = new ProcessBuilder("wrk", "-t" + mine.size(), "-c" + mine.size(), "-d" + seconds + "s", "--timeout", "30s",
          "-s", lua.toString(), cluster.url(n))
          .redirectError(BASE.resolve("wrk-" + tag + "-" + n + ".err").toFile());
      pb.environment().put("RING_TOKEN", token);
      pb.environment().put("RING_PLAYLISTS", String.join(",", mine));
      started.add(pb.start());
    }
    return started;
  }

  private static boolean onPath(String tool) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> new java.io.File(d, tool).canExecute());
  }

  /** Each wrk thread has one connection and one playlist; the name changes with every request. */
  static final String WRK_SCRIPT = """
      local ids = {}
      for id in string.gmatch(os.getenv("RING_PLAYLISTS"), "[^,]+") do ids[#ids + 1] = id end
      local next_thread = 0
      function setup(thread)
        next_thread = next_thread + 1
        thread:set("playlist", ids[next_thread])
      end
      local k = 0
      local headers
      function init(args)
        headers = { ["Authorization"] = "Bearer " .. os.getenv("RING_TOKEN"), ["Content-Type"] = "application/json" }
      end
      function request()
        k = k + 1
        return wrk.format("PUT", "/api/playlists/" .. playlist, headers, '{"name":"w ' .. playlist:sub(1, 8) .. ' ' .. k .. '"}')
      end
      function done(summary, latency, requests)
        local e = summary.errors
        io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
          latency:percentile(50), latency:percentile(99), summary.duration))
      end
      """;

  /**
   * Section 6: the ordered log alone, without HTTP, TLS or a load generator: C submitters (closed
   * loops on the nodes' own event loops, submitter t on node t mod 3) submit the smallest ordered
   * write there is, a session touch (no read to decide; one UPDATE of no row to apply on each node),
   * straight to {@code OrderedLog.submit}. What is left is the ring, the outbox and PostgreSQL.
   */
  static void logAlone(JvmCluster cluster, int clients) throws Exception {
    say("section 6: ordered log alone, %d submitters, %d s warm-up + %d s measured", clients, WARMUP, DURATION);
    List<io.dspot.log.OrderedLog> logs = new ArrayList<>();
    for (TestNode n : cluster.nodes.subList(0, 3)) {
      logs.add(orderedLogOf(n));
    }
    JsonObject payload = new JsonObject().put("tokenHash", "00".repeat(32)).put("idleUntil", "2000-01-01T00:00:00Z");
    io.dspot.log.OrderedCommand touch = tx -> io.vertx.core.Future.succeededFuture(
        io.dspot.log.Decision.record("session.touched", payload, new JsonObject()));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicBoolean measuring = new AtomicBoolean(false);
    java.util.concurrent.ConcurrentLinkedQueue<Long> lat = new java.util.concurrent.ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    for (int t = 0; t < clients; t++) {
      int node = t % 3;
      cluster.nodes.get(node).vertx().runOnContext(v -> submitLoop(logs.get(node), touch, running, measuring, lat, errors));
    }
    Thread.sleep(WARMUP * 1000L);
    long seq0 = cluster.lastSeq(0);
    CpuSample cpu0 = CpuSample.machine();
    long jvm0 = CpuSample.processTicks(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep(DURATION * 1000L);
    measuring.set(false);
    double secs = (System.nanoTime() - t0) / 1e9;
    long jvm1 = CpuSample.processTicks(ProcessHandle.current().pid());
    CpuSample cpu1 = CpuSample.machine();
    long seq1 = cluster.lastSeq(0);
    running.set(false);
    Thread.sleep(2_000);
    cluster.awaitConverged(30_000);
    long[] all = lat.stream().mapToLong(Long::longValue).toArray();
    Stats s = Stats.of(all);
    double rate = all.length / secs;
    double jvmPct = (jvm1 - jvm0) * 100.0 / CpuSample.HZ / secs;
    row(String.format(Locale.ROOT, "Ordered log alone (no HTTP), %d submitters over 3 nodes: writes/s", clients),
        String.format(Locale.ROOT, "%.0f/s", rate), "— (where the limit is)", "",
        String.format(Locale.ROOT, "machine CPU busy %.0f%% of 2 cores; log advanced %.0f seq/s", cpu1.busyPercentSince(cpu0), (seq1 - seq0) / secs));
    row(String.format(Locale.ROOT, "Ordered log alone, %d submitters: commit p50/p99", clients), s.p50p99(), "—", "", "");
    details.add(String.format(Locale.ROOT, "section 6, %d submitters: %d ok in %.1f s = %.0f/s; latency %s; errors %d; "
            + "this JVM (3 nodes) %.0f%% of one core = %.2f ms CPU per write (JVM only)",
        clients, all.length, secs, rate, s.line(), errors.get(), jvmPct, jvmPct * 10 / Math.max(1, rate)));
  }

  /** The node's deployed ordered log (a harness may use Vert.x internals; the node exposes no such handle). */
  static io.dspot.log.OrderedLog orderedLogOf(TestNode node) {
    return ((io.vertx.core.internal.VertxInternal) node.vertx()).deploymentManager().deployments().stream()
        .flatMap(d -> d.deployment().instances().stream())
        .filter(io.dspot.log.OrderedLog.class::isInstance).map(io.dspot.log.OrderedLog.class::cast)
        .findFirst().orElseThrow(() -> new IllegalStateException("no ordered log deployed on " + node.nodeId()));
  }

  private static void submitLoop(io.dspot.log.OrderedLog log, io.dspot.log.OrderedCommand command, AtomicBoolean running,
      AtomicBoolean measuring, java.util.Queue<Long> lat, AtomicLong errors) {
    if (!running.get()) {
      return;
    }
    long t0 = System.nanoTime();
    log.submit(command).onComplete(done -> {
      if (measuring.get()) {
        if (done.succeeded()) {
          lat.add(System.nanoTime() - t0);
        } else {
          errors.incrementAndGet();
        }
      }
      submitLoop(log, command, running, measuring, lat, errors);
    });
  }

  /** Section 4: fill the log to HISTORY events, then start an empty 4th node and time its catch-up. */
  static void catchUp(JvmCluster cluster, String token, List<String> playlists, long[] boot) throws Exception {
    long have = cluster.awaitConverged(20_000);
    long toWrite = Math.max(0, HISTORY - have);
    say("section 4: writing %d changes to reach a %d-event history", toWrite, HISTORY);
    AtomicLong remaining = new AtomicLong(toWrite);
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long f0 = System.nanoTime();
    for (int t = 0; t < 16; t++) {
      String url = cluster.url(t % 3) + "/api/playlists/" + playlists.get(t);
      int id = t;
      Thread th = new Thread(() -> {
        Http http = new Http();
        int k = 0;
        while (remaining.getAndDecrement() > 0) {
          int status;
          try {
            status = http.put(url, token, "fill " + id + " " + k++);
          } catch (Exception e) {
            status = -1;
          }
          if (status / 100 != 2) {
            failed.incrementAndGet();
            remaining.incrementAndGet();
          }
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    double fillSecs = (System.nanoTime() - f0) / 1e9;
    long history = cluster.awaitConverged(60_000);
    details.add(String.format(Locale.ROOT, "section 4 fill: %d writes by 16 clients in %.1f s = %.0f/s (%d failed and retried)",
        toWrite, fillSecs, toWrite / fillSecs, failed.get()));
    say("section 4: history %d events; starting empty node-d", history);
    Thread.sleep(2_000); // let the relays mark everything delivered
    long t0 = System.nanoTime();
    cluster.start(3);
    long started = System.nanoTime() - t0;
    long caught;
    while (true) {
      if (cluster.lastSeq(3) >= history) {
        caught = System.nanoTime() - t0;
        break;
      }
      if (System.nanoTime() - t0 > 120_000_000_000L) {
        throw new IllegalStateException("node-d did not catch up in 120 s (at " + cluster.lastSeq(3) + " of " + history + ")");
      }
      Thread.sleep(20);
    }
    boolean same = cluster.lastSeq(3) == cluster.lastSeq(0);
    long refBoot = Math.max(boot[1], boot[2]);
    row(String.format(Locale.ROOT, "Catch-up of a new empty node, %,d-event history (start → lastApplied = others')", history),
        String.format(Locale.ROOT, "%.2f s", caught / 1e9), "< 10 s", caught < 10_000_000_000L ? "PASS" : "MISS",
        String.format(Locale.ROOT, "start() itself returned after %.2f s; boot of a node joining with ~no history: %.2f s",
            started / 1e9, refBoot / 1e3));
    details.add(String.format(Locale.ROOT, "section 4: node-d start() returned after %d ms, lastApplied=%d (others %d, equal=%s) after %d ms; "
        + "reference boot of node-b/node-c at cluster start (tiny history): %d / %d ms", ms(started), cluster.lastSeq(3), cluster.lastSeq(0), same,
        ms(caught), boot[1], boot[2]));
    cluster.nodes.get(3).close();
    cluster.nodes.set(3, null);
    cluster.awaitMembers(3, 30_000);
  }

  // =====================================================================================
  // Sections 3, 5: nodes in their own JVMs
  // =====================================================================================

  static void processSections() throws Exception {
    String name = "ringbench-" + UUID.randomUUID();
    List<Integer> ports = Ports.take(3);
    List<ProcessNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        nodes.add(new ProcessNode(JvmCluster.nodeName(i), BASE.resolve("proc-" + JvmCluster.nodeName(i)), name, ports.get(i), ports, 3).start());
        say("process %s healthy after %d ms", JvmCluster.nodeName(i), ms(System.nanoTime() - t0));
      }
      String token = loginRetry(nodes.get(0).baseUrl());
      awaitView(nodes.get(0).baseUrl(), token, v -> v.getJsonArray("members").size() == 3 && converged(v), 60_000);
      List<String> playlists = new ArrayList<>();
      Http http = new Http();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = http.send("POST", nodes.get(i).baseUrl() + "/api/playlists", token, new JsonObject().put("name", "p" + i).encode(), 10_000);
        playlists.add(new JsonObject(r.body()).getString("id"));
      }
      // warm-up: some writes on every node, so the JIT, pools and the ring have run
      for (int k = 0; k < 60; k++) {
        int n = k % 3;
        http.put(nodes.get(n).baseUrl() + "/api/playlists/" + playlists.get(n), token, "warm " + k);
      }
      awaitView(nodes.get(0).baseUrl(), token, RingBench::converged, 30_000);
      if (SECTIONS.contains("3")) {
        idleCpu(nodes);
      }
      if (SECTIONS.contains("5")) {
        try {
          for (int trial = 1; trial <= TRIALS; trial++) {
            memberRemoval(nodes, token, trial);
          }
          for (int trial = 1; trial <= TRIALS; trial++) {
            try {
              holderKill(nodes, token, playlists, trial);
            } catch (IllegalStateException e) {
              notes.add("**5b trial " + trial + " aborted**: " + e.getMessage());
              say("5b trial %d aborted: %s", trial, e.getMessage());
            }
          }
        } finally {
          summarizeFailover();
        }
      }
    } finally {
      for (ProcessNode n : nodes) {
        try {
          n.close();
        } catch (RuntimeException e) {
          say("closing %s: %s", n.nodeId(), e);
        }
      }
    }
  }

  static boolean converged(JsonObject view) {
    JsonArray members = view.getJsonArray("members");
    return members.stream().map(o -> ((JsonObject) o).getLong("lastApplied")).distinct().count() == 1
        && members.stream().allMatch(o -> ((JsonObject) o).getBoolean("reachable", false));
  }

  /** Section 3: utime+stime of each node JVM and its PostgreSQL processes over an idle window. */
  static void idleCpu(List<ProcessNode> nodes) throws Exception {
    say("section 3: idle 5 s, then CPU over %d s", IDLE_SECONDS);
    Thread.sleep(5_000);
    Map<String, NodeProcs> procs = new LinkedHashMap<>();
    for (ProcessNode n : nodes) {
      procs.put(n.nodeId(), NodeProcs.find(n.dataDir()));
    }
    Map<String, long[]> before = new HashMap<>();
    procs.forEach((id, p) -> before.put(id, p.ticks()));
    CpuSample m0 = CpuSample.machine();
    long t0 = System.nanoTime();
    Thread.sleep(IDLE_SECONDS * 1000L);
    double secs = (System.nanoTime() - t0) / 1e9;
    CpuSample m1 = CpuSample.machine();
    double totalJvm = 0;
    double totalPg = 0;
    StringBuilder per = new StringBuilder();
    for (var e : procs.entrySet()) {
      long[] after = e.getValue().ticks();
      long[] b = before.get(e.getKey());
      double jvm = (after[0] - b[0]) * 100.0 / CpuSample.HZ / secs;
      double pg = (after[1] - b[1]) * 100.0 / CpuSample.HZ / secs;
      totalJvm += jvm;
      totalPg += pg;
      per.append(String.format(Locale.ROOT, "%s JVM %.2f%% + PG %.2f%% (%d PG processes); ", e.getKey(), jvm, pg, e.getValue().pgPids.size()));
    }
    double total = totalJvm + totalPg;
    row(String.format(Locale.ROOT, "Idle 3-node ring, CPU over %d s (%% of one core), JVMs + their PostgreSQL", IDLE_SECONDS),
        String.format(Locale.ROOT, "%.2f %% total (JVMs %.2f %%, PG %.2f %%); per node %.2f %%", total, totalJvm, totalPg, total / 3),
        "\"next to nothing\" (no number; ≤ 1 %/node read as PASS)", total / 3 <= 1.0 ? "PASS" : "MISS",
        String.format(Locale.ROOT, "whole machine busy %.0f%% of 2 cores meanwhile (other users included)", m1.busyPercentSince(m0)));
    details.add("section 3 (" + IDLE_SECONDS + " s idle; clock ticks " + CpuSample.HZ + "/s, 1 tick = "
        + String.format(Locale.ROOT, "%.2f", 100.0 / CpuSample.HZ / secs) + " % in this window): " + per);
  }

  static final List<Long> removal = new ArrayList<>();
  static final List<Long> firstCommit = new ArrayList<>();
  static final List<String> failoverNotes = new ArrayList<>();

  /** Section 5a: kill -9 a member that does not hold the token; poll a survivor's /api/cluster every 20 ms. */
  static void memberRemoval(List<ProcessNode> nodes, String token, int trial) throws Exception {
    String viewUrl = nodes.get(0).baseUrl();
    JsonObject view = awaitView(viewUrl, token, v -> v.getString("tokenHolder") != null && v.getJsonArray("members").size() == 3 && converged(v), 60_000);
    String holder = view.getString("tokenHolder");
    ProcessNode victim = nodes.stream().skip(1).filter(n -> !n.nodeId().equals(holder)).findFirst().orElseThrow();
    say("section 5a trial %d: kill -9 %s (holder %s), polling %s", trial, victim.nodeId(), holder, nodes.get(0).nodeId());
    AtomicLong removedAt = new AtomicLong();
    AtomicLong removedSent = new AtomicLong();
    AtomicLong polls = new AtomicLong();
    AtomicLong slow = new AtomicLong();
    long[] t0 = new long[1];
    // Asynchronous polls started every 20 ms whatever the earlier ones do: a view request that
    // asks the dead node can hang for its timeout, and must not hide a later, faster answer.
    Thread poller = new Thread(() -> {
      Http http = new Http();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && removedAt.get() == 0) {
        long sentAt = System.nanoTime();
        HttpRequest req = HttpRequest.newBuilder(URI.create(viewUrl + "/api/cluster")).timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + token).GET().build();
        http.client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
          polls.incrementAndGet();
          long now = System.nanoTime();
          if (now - sentAt > 500_000_000L) {
            slow.incrementAndGet();
          }
          if (r.statusCode() == 200 && new JsonObject(r.body()).getJsonArray("members").size() == 2) {
            if (removedAt.compareAndSet(0, now)) {
              removedSent.set(sentAt);
            }
          }
        });
        sleep(20);
      }
    });
    List<Long> pids = NodeProcs.find(victim.dataDir()).all();
    t0[0] = System.nanoTime();
    poller.start();
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    poller.join(70_000);
    victim.kill9(); // bookkeeping (and its PostgreSQL, if anything was left)
    long took = removedAt.get() == 0 ? -1 : removedAt.get() - t0[0];
    removal.add(took);
    failoverNotes.add(String.format(Locale.ROOT, "5a trial %d: kill -9 %s (JVM + PG, %d pids) → first /api/cluster answer on %s without it after %d ms "
            + "(that request was sent at +%d ms); %d answers, %d of them took > 0.5 s",
        trial, victim.nodeId(), pids.size(), nodes.get(0).nodeId(), ms(took), ms(removedSent.get() - t0[0]), polls.get(), slow.get()));
    restart(victim, nodes, token);
  }

  /** Section 5b: kill -9 the token holder; a writer on a survivor retries every 20 ms until a 2xx. */
  static void holderKill(List<ProcessNode> nodes, String token, List<String> playlists, int trial) throws Exception {
    Http http = new Http();
    // Make the last node the holder (the coordinator is the smallest live id; killing a non-coordinator holder
    // and the coordinator holder are both possible: alternate).
    int holderIdx = trial % 2 == 1 ? 2 : 0;
    int writerIdx = 1;
    ProcessNode holder = nodes.get(holderIdx);
    JsonObject before = null;
    List<String> attempts = new ArrayList<>();
    for (int a = 0; a < 10 && before == null; a++) {
      long s0 = System.nanoTime();
      HttpResponse<String> r = http.send("PUT", holder.baseUrl() + "/api/playlists/" + playlists.get(holderIdx), token,
          new JsonObject().put("name", "make holder " + trial + "." + a).encode(), 15_000);
      attempts.add(r.statusCode() + " in " + ms(System.nanoTime() - s0) + " ms" + (r.statusCode() / 100 == 2 ? "" : " " + r.body()));
      try {
        before = awaitView(nodes.get(writerIdx).baseUrl(), token, v -> holder.nodeId().equals(v.getString("tokenHolder")), 3_000);
      } catch (IllegalStateException e) {
        attempts.add("view: " + e.getMessage());
      }
    }
    if (attempts.size() > 1) {
      notes.add("5b trial " + trial + ": making " + holder.nodeId() + " the token holder by writing on it took several attempts: " + attempts);
    }
    if (before == null) {
      throw new IllegalStateException(holder.nodeId() + " never became the token holder after writes on it: " + attempts);
    }
    long epochBefore = before.getLong("epoch");
    String writeUrl = nodes.get(writerIdx).baseUrl() + "/api/playlists/" + playlists.get(writerIdx);
    say("section 5b trial %d: kill -9 token holder %s (epoch %d), writer on %s", trial, holder.nodeId(), epochBefore, nodes.get(writerIdx).nodeId());
    List<Long> pids = NodeProcs.find(holder.dataDir()).all();
    AtomicLong okAt = new AtomicLong();
    List<String> seen = new ArrayList<>();
    long[] t0 = new long[1];
    Thread writer = new Thread(() -> {
      Http w = new Http();
      long deadline = System.nanoTime() + 60_000_000_000L;
      int k = 0;
      while (System.nanoTime() < deadline) {
        long s0 = System.nanoTime();
        String outcome;
        try {
          HttpResponse<String> r = w.send("PUT", writeUrl, token, new JsonObject().put("name", "after kill " + k++).encode(), 10_000);
          outcome = Integer.toString(r.statusCode());
          if (r.statusCode() / 100 == 2) {
            okAt.set(System.nanoTime());
            synchronized (seen) {
              seen.add(outcome + "@" + ms(s0 - t0[0]) + "+" + ms(System.nanoTime() - s0) + "ms");
            }
            return;
          }
        } catch (Exception e) {
          outcome = e.getClass().getSimpleName();
        }
        synchronized (seen) {
          seen.add(outcome + "@" + ms(s0 - t0[0]) + "+" + ms(System.nanoTime() - s0) + "ms");
        }
        sleep(20);
      }
    });
    t0[0] = System.nanoTime();
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    writer.start();
    writer.join(70_000);
    holder.kill9();
    long took = okAt.get() == 0 ? -1 : okAt.get() - t0[0];
    firstCommit.add(took);
    JsonObject after = awaitView(nodes.get(writerIdx).baseUrl(), token, v -> v.getLong("epoch") > epochBefore, 10_000);
    String compact = seen.size() > 12 ? seen.subList(0, 6) + " … " + seen.subList(seen.size() - 4, seen.size()) + " (" + seen.size() + " attempts)" : seen.toString();
    failoverNotes.add(String.format(Locale.ROOT, "5b trial %d: kill -9 token holder %s%s → first 2xx on %s after %d ms; epoch %d → %d; attempts (status@start+duration): %s",
        trial, holder.nodeId(), holderIdx == 0 ? " (also the coordinator)" : "", nodes.get(writerIdx).nodeId(), ms(took), epochBefore,
        after.getLong("epoch"), compact));
    restart(holder, nodes, token);
  }

  static void restart(ProcessNode victim, List<ProcessNode> nodes, String token) throws Exception {
    long t0 = System.nanoTime();
    try {
      victim.start();
    } catch (IllegalStateException e) {
      Path log = victim.dataDir().resolve("node.log");
      Path keep = BASE.resolve("failed-start-" + victim.nodeId() + "-" + System.currentTimeMillis() + ".log");
      Files.copy(log, keep);
      List<String> lines = Files.readAllLines(log);
      String tail = lines.stream().skip(Math.max(0, lines.size() - 400))
          .filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("FATAL") || l.contains("Caused by"))
          .limit(6).reduce((a, b) -> a + " / " + b).orElse("(no error line)");
      notes.add("Restarting " + victim.nodeId() + " after kill -9 failed once (" + e.getMessage() + "); log lines: `"
          + tail.replace('`', '\'') + "`; retried after 3 s.");
      say("restart of %s failed, retrying: %s", victim.nodeId(), tail);
      victim.kill9();
      Thread.sleep(3_000);
      victim.start();
    }
    String viewUrl = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow().baseUrl();
    awaitView(viewUrl, token, v -> v.getJsonArray("members").size() == 3 && converged(v), 60_000);
    say("%s restarted and converged in %d ms", victim.nodeId(), ms(System.nanoTime() - t0));
  }

  static void summarizeFailover() {
    Stats r = Stats.ofMs(removal);
    Stats f = Stats.ofMs(firstCommit);
    row("kill -9 of a member → removed from the cluster view (poll every 20 ms), " + removal.size() + " trials",
        msList(removal), "\"a few seconds\"", removal.stream().allMatch(x -> x >= 0 && x < 5_000_000_000L) ? "PASS" : "MISS",
        "Hazelcast drops a killed member when its socket closes (~0.35 s in NOTES)");
    row("kill -9 of the token holder → first successful commit on a survivor (retry every 20 ms), " + firstCommit.size() + " trials",
        msList(firstCommit), "— (\"a write must not wait long\")", "", "includes member removal + regeneration (probe, prepare/promise, started)");
    details.addAll(failoverNotes);
    if (r == null || f == null) {
      notes.add("A failover trial timed out (-1 ms).");
    }
  }

  static String msList(List<Long> values) {
    return values.stream().map(v -> v < 0 ? "timeout" : String.format(Locale.ROOT, "%.2f s", v / 1e9)).reduce((a, b) -> a + ", " + b).orElse("");
  }

  // =====================================================================================
  // helpers
  // =====================================================================================

  static long ms(long nanos) {
    return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String login(String baseUrl) throws Exception {
    return loginRetry(baseUrl);
  }

  static String loginRetry(String baseUrl) throws Exception {
    Http http = new Http();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        HttpResponse<String> r = http.send("POST", baseUrl + "/api/auth/login", null,
            new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD).encode(), 10_000);
        if (r.statusCode() == 200) {
          return new JsonObject(r.body()).getString("token");
        }
      } catch (Exception ignored) {
        // not ready
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("cannot log in on " + baseUrl);
      }
      Thread.sleep(250);
    }
  }

  static JsonObject awaitView(String baseUrl, String token, java.util.function.Predicate<JsonObject> ok, long timeoutMillis) throws Exception {
    Http http = new Http();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    JsonObject last = null;
    while (true) {
      try {
        HttpResponse<String> r = http.send("GET", baseUrl + "/api/cluster", token, null, 3_000);
        if (r.statusCode() == 200) {
          last = new JsonObject(r.body());
          if (ok.test(last)) {
            return last;
          }
        }
      } catch (Exception ignored) {
        // retry
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("cluster view never matched: " + (last == null ? "no answer" : last.encode()));
      }
      Thread.sleep(50);
    }
  }

  /** A blocking HTTP/1.1 client (keep-alive), one per thread. */
  static final class Http {
    final HttpClient client = io.dspot.testkit.LoopbackTls.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    int put(String url, String token, String name) throws Exception {
      return send("PUT", url, token, new JsonObject().put("name", name).encode(), 30_000).statusCode();
    }

    HttpResponse<String> send(String method, String url, String token, String body, long timeoutMillis) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMillis));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (body != null) {
        b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  record Stats(long[] sortedNanos) {
    static Stats of(long[] nanos) {
      long[] s = nanos.clone();
      Arrays.sort(s);
      return new Stats(s);
    }

    static Stats ofMs(List<Long> nanos) {
      if (nanos.isEmpty() || nanos.stream().anyMatch(n -> n < 0)) {
        return null;
      }
      return of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    double pct(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    double p50Ms() {
      return pct(50);
    }

    double mean() {
      return Arrays.stream(sortedNanos).average().orElse(Double.NaN) / 1e6;
    }

    String p50p99() {
      return String.format(Locale.ROOT, "p50 %s ms, p99 %s ms", fmt(pct(50)), fmt(pct(99)));
    }

    String line() {
      return String.format(Locale.ROOT, "n=%d p50 %s p90 %s p99 %s max %s mean %s ms", sortedNanos.length, fmt(pct(50)), fmt(pct(90)),
          fmt(pct(99)), fmt(pct(100)), fmt(mean()));
    }

    static String fmt(double ms) {
      return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }
  }

  /** /proc/stat totals, for "how busy was the machine". */
  record CpuSample(long busy, long total) {
    static final int HZ = 100; // getconf CLK_TCK on Linux x86_64

    static CpuSample machine() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new CpuSample(total - idle, total);
      } catch (IOException e) {
        return new CpuSample(0, 1);
      }
    }

    double busyPercentSince(CpuSample before) {
      // of all cores: 100 % = both cores busy; report as % of 2 cores
      return 100.0 * (busy - before.busy) / Math.max(1, total - before.total);
    }

    /** utime + stime of one process, in clock ticks (0 if it is gone). */
    static long processTicks(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }
  }

  /** A process node's JVM and its PostgreSQL processes, found by data directory (and descendants). */
  static final class NodeProcs {
    final List<Long> jvmPids = new ArrayList<>();
    final List<Long> pgPids = new ArrayList<>();

    static NodeProcs find(Path dataDir) {
      NodeProcs p = new NodeProcs();
      String dir = dataDir.toString();
      Set<Long> roots = new TreeSet<>();
      ProcessHandle.allProcesses().forEach(h -> {
        String cmd = cmdline(h.pid());
        if (cmd.contains(dir)) {
          roots.add(h.pid());
        }
      });
      Set<Long> all = new TreeSet<>(roots);
      for (long r : roots) {
        ProcessHandle.of(r).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
      }
      for (long pid : all) {
        String cmd = cmdline(pid);
        if (cmd.contains("io.dspot.node.Main")) {
          p.jvmPids.add(pid);
        } else {
          p.pgPids.add(pid);
        }
      }
      return p;
    }

    static String cmdline(long pid) {
      try {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
      } catch (IOException e) {
        return "";
      }
    }

    List<Long> all() {
      List<Long> out = new ArrayList<>(jvmPids);
      out.addAll(pgPids);
      return out;
    }

    /** {jvm ticks, pg ticks}. */
    long[] ticks() {
      return new long[] {jvmPids.stream().mapToLong(CpuSample::processTicks).sum(), pgPids.stream().mapToLong(CpuSample::processTicks).sum()};
    }
  }

  /** First time each node published outbox.applied with lastApplied ≥ seq, and how many batches it applied. */
  static final class AppliedTracker implements AutoCloseable {
    final List<ConcurrentSkipListMap<Long, Long>> seen = new ArrayList<>();
    final List<AtomicLong> batches = new ArrayList<>();
    final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

    AppliedTracker(JvmCluster cluster) {
      for (int n = 0; n < 3; n++) {
        ConcurrentSkipListMap<Long, Long> map = new ConcurrentSkipListMap<>();
        AtomicLong count = new AtomicLong();
        seen.add(map);
        batches.add(count);
        consumers.add(cluster.nodes.get(n).node().vertx().eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED, m -> {
          map.putIfAbsent(m.body().getLong("lastApplied"), System.nanoTime());
          count.incrementAndGet();
        }));
      }
      consumers.forEach(c -> c.completion().toCompletionStage().toCompletableFuture().join());
    }

    long firstSeen(int node, long seq) {
      var e = seen.get(node).ceilingEntry(seq);
      return e == null ? Long.MAX_VALUE / 2 : e.getValue();
    }

    long[] batches() {
      return batches.stream().mapToLong(AtomicLong::get).toArray();
    }

    @Override
    public void close() {
      consumers.forEach(MessageConsumer::unregister);
    }
  }

  /** The test suite's in-JVM cluster, with node data under the bench dir, plus a transaction count. */
  static final class JvmCluster extends RingCluster {
    JvmCluster(int size, int slots) {
      super(size, slots, BASE);
    }

    /** Committed transactions on the 3 first nodes' databases (pg_stat_database, database postgres). */
    long xacts() throws Exception {
      long sum = 0;
      for (int i = 0; i < 3; i++) {
        try (Connection c = DriverManager.getConnection(nodes.get(i).node().jdbcUrl(), "postgres", "");
            ResultSet rs = c.createStatement().executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
          rs.next();
          sum += rs.getLong(1);
        }
      }
      return sum;
    }
  }

  // =====================================================================================
  // report
  // =====================================================================================

  static String report(Instant started) {
    StringBuilder b = new StringBuilder();
    String host;
    try {
      host = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      host = "?";
    }
    b.append("#### Ordered-writes benchmark ").append(started.truncatedTo(ChronoUnit.MINUTES).toString().replace(":00Z", "Z")).append("\n\n");
    b.append(String.format(Locale.ROOT, "host: %d cores (%s), shared; 3 nodes on loopback, each with its own embedded PostgreSQL 14; "
            + "load generator in the harness JVM on the same cores; sections 1/2/4 in-JVM nodes, 3/5 one JVM per node. "
            + "Knobs: lightWrites=%d, clients=%s, duration=%d s, history=%d, idle=%d s, trials=%d.\n\n",
        Runtime.getRuntime().availableProcessors(), host, LIGHT_WRITES, CLIENTS, DURATION, HISTORY, IDLE_SECONDS, TRIALS));
    b.append("| metric | result | target | verdict | reference / context (same run) |\n|---|---|---|---|---|\n");
    for (String[] r : summary) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    b.append("\nDetails:\n\n```\n");
    details.forEach(d -> b.append(d).append('\n'));
    b.append("```\n");
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  private RingBench() {}

  @SuppressWarnings("unused")
  private static <T> T unused(Supplier<T> s) {
    return s.get();
  }
}
