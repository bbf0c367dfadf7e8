package io.dspot.ha;

import io.dspot.config.ConfigException;
import io.dspot.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code upScript VIP IFACE} / {@code downScript VIP IFACE}. Blocking (a process and its
 * exit): callers run it on a worker. The scripts are idempotent, so a repeated call is harmless.
 */
public final class VipScripts {

  private static final Logger log = LoggerFactory.getLogger(VipScripts.class);
  /** ip addr + two gratuitous ARPs take well under a second; a hung script must not hold the VIP's fate. */
  private static final long SCRIPT_TIMEOUT_SECONDS = 10;
  private static final List<String> TOOL_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private final NodeConfig.Ha config;

  VipScripts(NodeConfig.Ha config) {
    this.config = config;
  }

  /**
   * For {@code builtin} mode, before the node starts: the scripts, {@code ip}, {@code arping} and
   * the interface must exist, or the node would silently never hold the VIP.
   */
  public static void verify(NodeConfig.Ha ha) {
    if (ha.mode() != NodeConfig.Ha.Mode.BUILTIN) {
      return;
    }
    for (var script : List.of(new Object[] {"ha.upScript", ha.upScript()}, new Object[] {"ha.downScript", ha.downScript()})) {
      Path path = (Path) script[1];
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new ConfigException((String) script[0], "must be an executable script, " + path + " is not");
      }
    }
    for (String tool : List.of("ip", "arping")) {
      if (!onPath(tool)) {
        throw new ConfigException("ha.mode", "builtin needs '" + tool + "' (packages iproute2 and iputils-arping) on the PATH or in /usr/sbin");
      }
    }
    if (!Files.exists(Path.of("/sys/class/net", ha.iface()))) {
      throw new ConfigException("ha.interface", "no network interface named '" + ha.iface() + "' on this host (see `ip link`)");
    }
  }

  /**
   * The public server listens on the VIP from the start, so it answers the moment this node holds
   * it; until then the address is not local, which Linux allows only with
   * {@code net.ipv4.ip_nonlocal_bind=1} (as for haproxy or nginx behind keepalived).
   */
  public static void verifyCanListen(String vipAddress) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(vipAddress, 0));
    } catch (java.io.IOException e) {
      throw new ConfigException("ha.vip", "the public server cannot listen on " + vipAddress + " before this node holds it ("
          + e.getMessage() + "): set the sysctl net.ipv4.ip_nonlocal_bind=1, or http.host to 0.0.0.0");
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    return java.util.stream.Stream.concat(java.util.Arrays.stream(path.split(":")), TOOL_DIRS.stream())
        .filter(dir -> !dir.isEmpty())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** Claims the VIP; true when the script succeeded. */
  boolean up() {
    return run(config.upScript());
  }

  /** Releases the VIP; true when the script succeeded. */
  boolean down() {
    return run(config.downScript());
  }

  private boolean run(Path script) {
    try {
      Process process = new ProcessBuilder(script.toString(), config.vip(), config.iface()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        log.error("{} {} {} did not finish within {} s", script, config.vip(), config.iface(), SCRIPT_TIMEOUT_SECONDS);
        return false;
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        log.error("{} {} {} failed ({}): {}", script, config.vip(), config.iface(), process.exitValue(), output);
        return false;
      }
      log.info("{} {} {}: done{}", script.getFileName(), config.vip(), config.iface(), output.isEmpty() ? "" : " (" + output + ")");
      return true;
    } catch (IOException e) {
      log.error("cannot run {}: {}", script, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
