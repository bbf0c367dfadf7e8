package io.dspot.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of our own on this machine: one network namespace per node, all on a bridge that lives in
 * its own namespace (the root namespace is never touched), addresses in 198.18.0.0/24. A node is
 * isolated by taking its link down on the bridge. {@link #close} removes every namespace, which
 * removes the veths and the bridge with them.
 */
final class NetnsLab implements AutoCloseable {

  private final String tag = UUID.randomUUID().toString().substring(0, 6);
  private final String bridgeNs = "dsw" + tag;
  private final List<String> namespaces = new ArrayList<>();

  private final OneLabAtATime turn = OneLabAtATime.acquire();

  NetnsLab() {
    try {
      run("ip", "netns", "add", bridgeNs);
      namespaces.add(bridgeNs);
      run("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge");
      run("ip", "-n", bridgeNs, "link", "set", "br0", "up");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Adds host number {@code i} (1-based) at 198.18.0.(10+i); returns its namespace name. */
  String addHost(int i) {
    String ns = "dn" + i + tag;
    String veth = "dv" + i + tag;
    run("ip", "netns", "add", ns);
    namespaces.add(ns);
    // Made in place: a veth that appears in the root namespace, even for a moment, is a network
    // change to every browser and client there (Chromium aborts its requests: ERR_NETWORK_CHANGED).
    run("ip", "link", "add", veth, "netns", bridgeNs, "type", "veth", "peer", "name", "eth0", "netns", ns);
    run("ip", "-n", bridgeNs, "link", "set", veth, "master", "br0", "up");
    run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
    run("ip", "-n", ns, "link", "set", "eth0", "up");
    run("ip", "-n", ns, "link", "set", "lo", "up");
    // A node in ha mode listens on its VIP before it holds it (the sysctl is per namespace).
    run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_nonlocal_bind=1");
    return ns;
  }

  static String address(int i) {
    return "198.18.0." + (10 + i);
  }

  void isolate(int i) {
    run("ip", "-n", bridgeNs, "link", "set", "dv" + i + tag, "down");
  }

  void heal(int i) {
    run("ip", "-n", bridgeNs, "link", "set", "dv" + i + tag, "up");
  }

  /** Runs a command inside a host's namespace and returns its standard output. */
  static String exec(String ns, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return run(cmd.toArray(String[]::new));
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      try {
        // Anything still running inside dies with its namespace's processes.
        String pids = run("ip", "netns", "pids", ns).trim();
        for (String pid : pids.split("\\s+")) {
          if (!pid.isBlank()) {
            new ProcessBuilder("kill", "-9", pid).start().waitFor(5, TimeUnit.SECONDS);
          }
        }
        run("ip", "netns", "del", ns);
      } catch (RuntimeException | IOException | InterruptedException ignored) {
        // keep removing the others
      }
    }
    turn.close();
  }
}
