package io.dspot.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the scripts under {@code ha/} the way keepalived and an operator run them: a process, its exit code, its output. */
final class Shell {

  record Result(int exit, String output) {}

  private Shell() {}

  static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #run} but a non-zero exit is a failure; returns the output. */
  static String ok(String... command) {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit() + ": " + r.output());
    }
    return r.output();
  }

  /** Runs {@code command} inside network namespace {@code ns}. */
  static Result in(String ns, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return run(cmd.toArray(String[]::new));
  }
}
