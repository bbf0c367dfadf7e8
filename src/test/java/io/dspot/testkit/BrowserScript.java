package io.dspot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A script of {@code webtest/} (Node + playwright-core driving Debian's Chromium), run to the end:
 * the test fails with the script's output unless it exits 0 in time.
 *
 * <p>A script that needs something done to the cluster (kill a node, start it again) prints
 * {@code @@ COMMAND} and waits for {@code ok} (or {@code ok DETAIL}, or {@code error ...}) on its
 * stdin; {@link #runControlling} answers with what the test's {@link Commands} did.
 */
public final class BrowserScript {

  public static final Path WEBTEST = Path.of("webtest");
  public static final String CHROMIUM = "/usr/bin/chromium";
  private static final String COMMAND = "@@ ";

  /** What the test does when the script asks; returns a detail for the answer ("" for a bare ok). */
  @FunctionalInterface
  public interface Commands {
    String run(String command) throws Exception;
  }

  private BrowserScript() {}

  /**
   * A webtest script ({@code command}: node and the script, after a prefix such as {@code ip netns
   * exec NS}) set up as every browser test runs one: against {@code baseUrl}, as the tests' admin,
   * in Debian's Chromium. Callers add the script's own settings to its environment.
   */
  public static ProcessBuilder script(String baseUrl, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    var env = pb.environment();
    env.put("BASE_URL", baseUrl);
    env.put("ADMIN_USER", "admin");
    env.put("ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
    env.put("CHROMIUM", CHROMIUM);
    return pb;
  }

  /** Checks for Chromium and installs playwright-core and axe-core (pinned by webtest/package-lock.json) once. */
  public static void install() throws Exception {
    assertThat(Path.of(CHROMIUM)).as("Debian chromium is needed: apt-get install chromium").exists();
    if (!Files.isDirectory(WEBTEST.resolve("node_modules/playwright-core")) || !Files.isDirectory(WEBTEST.resolve("node_modules/axe-core"))) {
      run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
  }

  /** Runs a process in webtest/; its output. */
  public static String run(ProcessBuilder pb, int timeoutSeconds) throws Exception {
    File log = Files.createTempFile("webtest", ".log").toFile();
    Process p = pb.directory(WEBTEST.toFile()).redirectErrorStream(true).redirectOutput(log).start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      kill(p);
    }
    String output = Files.readString(log.toPath());
    log.delete();
    return verdict(pb, p, finished, output);
  }

  /** Runs the script in webtest/, doing what its {@code @@} lines ask; its output. */
  public static String runControlling(ProcessBuilder pb, Commands commands, int timeoutSeconds) throws Exception {
    Process p = pb.directory(WEBTEST.toFile()).redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    BlockingQueue<String> asked = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.append(line).append('\n');
          if (line.startsWith(COMMAND)) {
            asked.add(line.substring(COMMAND.length()).trim());
          }
        }
      } catch (IOException e) {
        output.append("(output lost: ").append(e.getMessage()).append(")\n");
      }
    }, "webtest-output");
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (Writer answers = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      while (p.isAlive() && System.nanoTime() < deadline) {
        String command = asked.poll(200, TimeUnit.MILLISECONDS);
        if (command != null) {
          String answer = answer(commands, command);
          output.append("[harness] ").append(command).append(": ").append(answer).append('\n');
          answers.write(answer + "\n");
          answers.flush();
        }
      }
    } catch (IOException e) {
      output.append("[harness] the script closed its stdin: ").append(e.getMessage()).append('\n');
    }
    boolean finished = p.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS);
    if (!finished) {
      kill(p);
    }
    reader.join(5_000);
    return verdict(pb, p, finished, output.toString());
  }

  private static String answer(Commands commands, String command) {
    try {
      String detail = commands.run(command);
      return detail == null || detail.isEmpty() ? "ok" : "ok " + detail.replace('\n', ' ');
    } catch (Exception e) {
      return "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
    }
  }

  /** The script and whatever it started (Chromium's processes). */
  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  private static String verdict(ProcessBuilder pb, Process p, boolean finished, String output) {
    System.out.println(output);
    assertThat(finished).as("%s timed out:%n%s", pb.command(), output).isTrue();
    assertThat(p.exitValue()).as("%s failed:%n%s", pb.command(), output).isZero();
    return output;
  }
}
