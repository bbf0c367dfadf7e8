package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.config.ConfigException;
import io.dspot.config.ConfigLoader;
import io.dspot.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The real {@code ha/vip-up.sh} and {@code ha/vip-down.sh}, run in a network namespace of the
 * test's own (a veth pair inside it, 198.18.0.0/15 addresses): idempotent, and non-zero with a
 * message when they cannot do their job. Needs root (CI runs as root); the root namespace's
 * interfaces are never touched.
 */
@EnabledIf("root")
class VipScriptsTest {

  private static final String VIP = "198.18.1.100/24";
  private final String ns = "dsl-vip" + UUID.randomUUID().toString().substring(0, 6);

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  record Run(int exit, String output) {}

  @BeforeEach
  void namespace() throws Exception {
    sh("ip", "netns", "add", ns);
    sh("ip", "-n", ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
    sh("ip", "-n", ns, "link", "set", "veth0", "up");
    sh("ip", "-n", ns, "link", "set", "veth1", "up");
  }

  @AfterEach
  void removeNamespace() throws Exception {
    run("ip", "netns", "del", ns);
  }

  @Test
  void upTwiceAddsTheVipOnceAndDownTwiceRemovesIt() throws Exception {
    long rxBefore = rxPackets("veth1");
    long started = System.nanoTime();
    assertThat(script("vip-up.sh", VIP, "veth0").exit()).isZero();
    assertThat((System.nanoTime() - started) / 1_000_000).as("no waiting for ARP replies that never come").isLessThan(1_000);
    assertThat(rxPackets("veth1") - rxBefore).as("the gratuitous ARPs reached the neighbour").isGreaterThanOrEqualTo(2);
    assertThat(script("vip-up.sh", VIP, "veth0").exit()).as("again: idempotent").isZero();
    assertThat(vipCount()).isEqualTo(1);
    assertThat(script("vip-down.sh", VIP, "veth0").exit()).isZero();
    assertThat(vipCount()).isZero();
    assertThat(script("vip-down.sh", VIP, "veth0").exit()).as("again: idempotent").isZero();
  }

  @Test
  void aWrongInterfaceOrAddressFailsWithAMessage() throws Exception {
    Run noSuchInterface = script("vip-up.sh", VIP, "eth9");
    assertThat(noSuchInterface.exit()).isNotZero();
    assertThat(noSuchInterface.output()).contains("no interface 'eth9'");
    Run notACidr = script("vip-up.sh", "198.18.1.100", "veth0");
    assertThat(notACidr.exit()).isNotZero();
    assertThat(notACidr.output()).contains("not a CIDR");
    Run usage = script("vip-down.sh", VIP);
    assertThat(usage.exit()).isNotZero();
    assertThat(usage.output()).contains("usage");
    assertThat(vipCount()).isZero();
  }

  @Test
  void builtinModeRefusesToStartWithoutItsInterfaceOrScripts() {
    NodeConfig.Ha wrongInterface = ha(new JsonObject().put("mode", "builtin").put("vip", VIP).put("interface", "nosuch0"));
    assertThatThrownBy(() -> VipScripts.verify(wrongInterface)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ha.interface").hasMessageContaining("nosuch0");
    NodeConfig.Ha noScript = ha(new JsonObject().put("mode", "builtin").put("vip", VIP).put("interface", "lo")
        .put("upScript", "/nonexistent/up.sh"));
    assertThatThrownBy(() -> VipScripts.verify(noScript)).isInstanceOf(ConfigException.class).hasMessageContaining("ha.upScript");
    VipScripts.verify(ha(new JsonObject().put("mode", "builtin").put("vip", VIP).put("interface", "lo")));
  }

  @Test
  void aVipThePublicServerCannotListenOnYetIsAStartUpErrorNamingTheSysctl() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.readString(Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind")).trim().equals("0"),
        "this host allows non-local binds");
    assertThatThrownBy(() -> VipScripts.verifyCanListen("198.18.1.100")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ha.vip").hasMessageContaining("net.ipv4.ip_nonlocal_bind=1");
    VipScripts.verifyCanListen("127.0.0.100");
  }

  @Test
  void badHaSettingsNameTheKey() {
    assertThatThrownBy(() -> ha(new JsonObject().put("mode", "vrrp"))).hasMessageContaining("ha.mode");
    assertThatThrownBy(() -> ha(new JsonObject().put("mode", "builtin").put("vip", "198.18.1.300/24").put("interface", "eth1")))
        .hasMessageContaining("ha.vip");
    assertThatThrownBy(() -> ha(new JsonObject().put("mode", "builtin").put("vip", VIP))).hasMessageContaining("ha.interface");
    assertThatThrownBy(() -> ha(new JsonObject().put("pollMillis", 500).put("leaderTimeoutMillis", 400)))
        .hasMessageContaining("ha.leaderTimeoutMillis");
    NodeConfig.Ha defaults = ha(new JsonObject());
    assertThat(defaults.mode()).isEqualTo(NodeConfig.Ha.Mode.OFF);
    assertThat(defaults.pollMillis()).isEqualTo(200);
    assertThat(defaults.leaderTimeoutMillis()).isEqualTo(600);
    assertThat(defaults.upScript()).endsWith(Path.of("ha", "vip-up.sh"));
  }

  private static NodeConfig.Ha ha(JsonObject section) {
    return ConfigLoader.fromJson(new JsonObject().put("ha", section)).ha();
  }

  /** ip netns exec mounts the namespace's own /sys. */
  private long rxPackets(String iface) throws Exception {
    return Long.parseLong(run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + iface + "/statistics/rx_packets").output().trim());
  }

  private int vipCount() throws Exception {
    return (int) run("ip", "-n", ns, "-o", "addr", "show", "dev", "veth0").output().lines().filter(l -> l.contains(" " + VIP + " ")).count();
  }

  private Run script(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, Path.of("ha", name).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static void sh(String... command) throws Exception {
    Run r = run(command);
    assertThat(r.exit()).as(String.join(" ", command) + ": " + r.output()).isZero();
  }

  private static Run run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " hung");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
