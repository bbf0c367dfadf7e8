package io.dspot.containers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test deployment of {@code compose/}: started and removed by the project's own scripts
 * ({@code up.sh}, {@code down.sh}) under a project name, image tag, subnets and certificates of
 * its own, so it neither meets an operator's deployment on the same machine nor a parallel run.
 * Everything it starts carries its project's label; {@link #sweepAbandoned()} removes the
 * deployments of test JVMs that died before their clean-up.
 */
final class Deployment {

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static final String INTERNAL_SUBNET = "198.18.20.0/24";
  static final String EXTERNAL_SUBNET = "198.18.21.0/24";
  static final String VIP = "198.18.21.200";
  private static final String PREFIX = "dspot-it-";
  private static final Pattern ABANDONED = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)_internal");

  final String project;
  final String image;
  private final Path certs;
  private final String adminPassword;

  Deployment(Path certs, String adminPassword) {
    this(PREFIX + ProcessHandle.current().pid(), certs, adminPassword);
  }

  private Deployment(String project, Path certs, String adminPassword) {
    this.project = project;
    this.image = "localhost/dspot:" + project;
    this.certs = certs;
    this.adminPassword = adminPassword;
  }

  /** Why containers cannot run here, or null when they can. */
  static String whyNotRunnable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the container tests run rootful podman and need root";
    }
    for (String tool : List.of("podman", "podman-compose", "mmdebstrap")) {
      if (run(10, Map.of(), "sh", "-c", "command -v " + tool).exit() != 0) {
        return tool + " is not installed (apt-get install podman podman-compose runc mmdebstrap)";
      }
    }
    Result info = run(60, Map.of("CONTAINERS_CONF", Path.of("compose/containers.conf").toAbsolutePath().toString()),
        "podman", "info", "--format", "{{.Host.OCIRuntime.Name}}");
    return info.ok() ? null : "podman cannot run here: " + info.output();
  }

  /** Removes what earlier test JVMs left behind when they died before {@link #down()}. */
  static void sweepAbandoned() {
    for (String network : run(30, Map.of(), "podman", "network", "ls", "--format", "{{.Name}}").output().lines().toList()) {
      Matcher m = ABANDONED.matcher(network.strip());
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        new Deployment(PREFIX + m.group(1), Path.of("/nonexistent"), "").down();
      }
    }
  }

  Result up() {
    return script(600, "compose/up.sh");
  }

  Result down() {
    return script(180, "compose/down.sh", "--image");
  }

  /** Every volume the deployment's containers use, named or anonymous (the image's VOLUME). */
  List<String> volumes() {
    String ids = podman(30, "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).output().strip();
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> cmd = new ArrayList<>(List.of("inspect", "--format", "{{range .Mounts}}{{if .Name}}{{.Name}} {{end}}{{end}}"));
    cmd.addAll(ids.lines().toList());
    return List.of(podman(30, cmd.toArray(String[]::new)).output().strip().split("\\s+"));
  }

  /** What is left of the deployment: containers or volumes with its label, the given volumes, its networks, its image. */
  String leftovers(List<String> volumes) {
    String label = "label=com.docker.compose.project=" + project;
    StringBuilder left = new StringBuilder();
    volumes.stream().filter(v -> !v.isBlank() && podman(30, "volume", "exists", v).ok()).forEach(v -> left.append(v).append(' '));
    left.append(podman(30, "ps", "-aq", "--filter", label).output().strip());
    left.append(podman(30, "volume", "ls", "-q", "--filter", label).output().strip());
    podman(30, "network", "ls", "--format", "{{.Name}}").output().lines()
        .filter(n -> n.startsWith(project + "_")).forEach(left::append);
    if (podman(30, "image", "exists", image).ok()) {
      left.append(image);
    }
    return left.toString();
  }

  /** The container id of a compose service (node-1, client). */
  String container(String service) {
    String id = podman(30, "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project,
        "--filter", "label=com.docker.compose.service=" + service).output().strip();
    if (id.isEmpty()) {
      throw new IllegalStateException("no container for service " + service + " of " + project);
    }
    return id.lines().findFirst().orElseThrow();
  }

  /** A service's address on one of the two networks ({@code internal} or {@code external}). */
  String address(String service, String network) {
    return podman(30, "inspect", "--format", "{{(index .NetworkSettings.Networks \"" + project + "_" + network + "\").IPAddress}}",
        container(service)).output().strip();
  }

  Result exec(String service, String... command) {
    List<String> cmd = new ArrayList<>(List.of("exec", container(service)));
    cmd.addAll(List.of(command));
    return podman(60, cmd.toArray(String[]::new));
  }

  Result podman(int timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(args));
    return run(timeoutSeconds, env(), cmd.toArray(String[]::new));
  }

  private Result script(int timeoutSeconds, String... command) {
    return run(timeoutSeconds, env(), command);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CONTAINERS_CONF", Path.of("compose/containers.conf").toAbsolutePath().toString());
    env.put("DSPOT_ENGINE", "podman");
    env.put("DSPOT_PROJECT", project);
    env.put("DSPOT_IMAGE", image);
    env.put("DSPOT_INTERNAL_SUBNET", INTERNAL_SUBNET);
    env.put("DSPOT_INTERNAL_RANGE", "198.18.20.0/28");
    env.put("DSPOT_EXTERNAL_SUBNET", EXTERNAL_SUBNET);
    env.put("DSPOT_EXTERNAL_RANGE", "198.18.21.0/25");
    env.put("DSPOT_VIP", VIP + "/24");
    env.put("DSPOT_CERTS", certs.toAbsolutePath().toString());
    env.put("DSPOT_ADMIN_PASSWORD", adminPassword);
    return env;
  }

  /** Runs a command with a deadline; its output (stdout and stderr) goes through a file, so a hung command cannot block the read. */
  static Result run(int timeoutSeconds, Map<String, String> env, String... command) {
    File out = null;
    try {
      out = File.createTempFile("dspot-it", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s: "
            + Files.readString(out.toPath(), StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        out.delete();
      }
    }
  }
}
