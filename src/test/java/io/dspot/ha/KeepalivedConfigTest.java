package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ha/keepalived/render.sh output is what keepalived itself accepts ({@code keepalived -t -f}), for
 * every node of a three-node cluster and both advertisement intervals we document, and the
 * renderer refuses bad values by naming the option. keepalived checks that the interface exists,
 * so validation runs in a namespace of its own with an {@code eth1}.
 */
class KeepalivedConfigTest {

  private static final String RENDER = "ha/keepalived/render.sh";
  private static final String NS = "dsl-kt" + UUID.randomUUID().toString().substring(0, 6) + "-n1";

  @TempDir Path dir;

  @BeforeAll
  static void namespaceWithEth1() {
    Shell.ok("ip", "netns", "add", NS);
    Shell.ok("ip", "-n", NS, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1peer");
  }

  @AfterAll
  static void removeNamespace() {
    Shell.run("ip", "netns", "del", NS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0.1"})
  void everyNodesRenderedConfigValidates(String advertInt) throws Exception {
    for (int n = 1; n <= 3; n++) {
      Path conf = render(dir.resolve("node-" + n + ".conf"), "--node", "node-" + n, "--vip", "198.18.1.100/24",
          "--interface", "eth1", "--priority", String.valueOf(200 - 50 * n), "--advert-int", advertInt,
          "--health-url", "https://198.18.1.1" + n + ":8080/api/health", "--internal-url", "https://198.18.0.1" + n + ":9090");
      String text = Files.readString(conf);
      assertThat(text).contains("vrrp_version 3", "advert_int " + advertInt + "\n", "nopreempt",
          "ha/keepalived/check.sh https://198.18.1.1" + n + ":8080/api/health\"",
          "ha/keepalived/notify.sh MASTER https://198.18.0.1" + n + ":9090 data/certs node-" + n + "\"");
      assertThat(text).doesNotContain("@");
      Shell.Result check = validate(conf);
      assertThat(check.exit()).as(check.output()).isZero();
    }
  }

  @Test
  void preferredNodePreempts() throws Exception {
    Path conf = render(dir.resolve("pref.conf"), "--node", "node-1", "--vip", "198.18.1.100/24",
        "--interface", "eth1", "--priority", "200", "--prefer");
    assertThat(Files.readString(conf)).doesNotContain("nopreempt");
    assertThat(validate(conf).exit()).isZero();
  }

  @Test
  void aLenientHealthCheckForALoadedHostValidates() throws Exception {
    Path conf = render(dir.resolve("lenient.conf"), "--node", "node-2", "--vip", "198.18.1.100/24",
        "--interface", "eth1", "--priority", "100", "--check-timeout", "3", "--check-fall", "3");
    String text = Files.readString(conf);
    // check.sh gives up just before keepalived would kill it, so a slow node counts as a failed check.
    assertThat(text).contains("check.sh --max-time 2.9 https://127.0.0.1:8080/api/health\"", "timeout 3\n", "fall 3\n");
    Shell.Result check = validate(conf);
    assertThat(check.exit()).as(check.output()).isZero();
  }

  @Test
  void keepalivedRefusesABrokenConfig() throws Exception {
    // Proves the validation above can fail: the same rendered file with one unknown keyword.
    Path conf = render(dir.resolve("broken.conf"), "--node", "node-1", "--vip", "198.18.1.100/24",
        "--interface", "eth1", "--priority", "100");
    Files.writeString(conf, Files.readString(conf).replace("advert_int 1", "advert_int 1\n    advert_interval 1"));
    Shell.Result check = validate(conf);
    assertThat(check.exit()).isNotZero();
    assertThat(check.output()).contains("advert_interval");
  }

  @Test
  void configForAMissingInterfaceIsRefused() throws Exception {
    Path conf = render(dir.resolve("eth9.conf"), "--node", "node-1", "--vip", "198.18.1.100/24",
        "--interface", "eth9", "--priority", "100");
    Shell.Result check = validate(conf);
    assertThat(check.exit()).isNotZero();
    assertThat(check.output()).contains("eth9");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--vip|198.18.1.300/24|--vip",
      "--vip|198.18.1.100|--vip",
      "--interface|eth 1|--interface",
      "--priority|255|--priority",
      "--priority|0|--priority",
      "--advert-int|0|--advert-int",
      "--advert-int|41|--advert-int",
      "--advert-int|0.001|--advert-int",
      "--vrid|256|--vrid",
      "--check-timeout|0|--check-timeout",
      "--check-timeout|1.5|--check-timeout",
      "--check-fall|0|--check-fall",
      "--node|node 1|--node",
      "--health-url|https://x/a\"b|URL",
      "--certs-dir|my certs|paths",
      "--colour|blue|unknown option --colour"})
  void rendererRejectsABadValueByName(String option, String value, String named) {
    List<String> cmd = new ArrayList<>(List.of(RENDER, "--node", "node-1", "--vip", "198.18.1.100/24",
        "--interface", "eth1", "--priority", "100"));
    cmd.addAll(List.of(option, value));
    Shell.Result r = Shell.run(cmd.toArray(String[]::new));
    assertThat(r.exit()).as(r.output()).isEqualTo(2);
    assertThat(r.output()).contains(named);
  }

  @Test
  void rendererNamesAMissingOption() {
    Shell.Result r = Shell.run(RENDER, "--node", "node-1", "--interface", "eth1", "--priority", "100");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("--vip");
  }

  private static Path render(Path out, String... args) {
    List<String> cmd = new ArrayList<>(List.of(RENDER));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--out", out.toString()));
    Shell.ok(cmd.toArray(String[]::new));
    return out;
  }

  private static Shell.Result validate(Path conf) {
    return Shell.in(NS, "keepalived", "-t", "-f", conf.toAbsolutePath().toString());
  }
}
