package io.dspot.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keepalived in three node namespaces (ha/keepalived/lab.sh, VRRPv3 advert_int 0.1) moves the VIP
 * when the MASTER's link goes down or its health check fails, exactly one namespace holds it
 * after each fault, the client namespace reaches the new holder through the VIP, and a node that
 * comes back does not take the VIP back (nopreempt). The nodes behind the VIP are stand-in HTTP
 * servers answering /api/health (plain HTTP): what is under test is keepalived with our config.
 */
class KeepalivedLabTest {

  private static final String LAB = "ha/keepalived/lab.sh";
  private final String tag = "ka" + UUID.randomUUID().toString().substring(0, 6);

  @BeforeEach
  void up() {
    Shell.ok(LAB, "sweep");
    Shell.ok("env", "LAB_OWNER=" + ProcessHandle.current().pid(), LAB, tag, "up", "0.1");
  }

  @AfterEach
  void down() {
    Shell.run(LAB, tag, "down");
    assertThat(Shell.ok("ip", "netns", "list")).doesNotContain("dsl-" + tag + "-");
  }

  @Test
  void vipMovesOnLinkDownAndFailedHealthAndStaysWhenTheOldMasterReturns() {
    String first = Await.within(Duration.ofSeconds(15)).until("one VIP holder that the client reaches",
        this::reachableHolder, holder -> holder != null);

    long cutAt = System.nanoTime();
    Shell.ok(LAB, tag, "cut", number(first));
    String second = Await.within(Duration.ofSeconds(3)).every(Duration.ofMillis(50)).until(
        "another node holds the VIP after " + first + "'s link went down",
        this::reachableHolder, holder -> holder != null && !holder.equals(first));
    System.out.printf("keepalived advert_int 0.1, link down: VIP on %s, client reached it %d ms after the cut%n",
        second, Duration.ofNanos(System.nanoTime() - cutAt).toMillis());

    Shell.ok(LAB, tag, "heal", number(first));
    sleep(Duration.ofSeconds(2));
    assertThat(reachableHolder()).as(() -> "the healed node does not take the VIP back; keepalived's logs:\n" + keepalivedLogs())
        .isEqualTo(second);

    Shell.ok(LAB, tag, "fail", number(second));
    String third = Await.within(Duration.ofSeconds(8)).every(Duration.ofMillis(100)).until(
        "another node holds the VIP after " + second + "'s health check failed",
        this::reachableHolder, holder -> holder != null && !holder.equals(second));
    assertThat(third).isNotEqualTo(second);
  }

  /** The one node namespace holding the VIP if the client reached exactly that node through it; null otherwise. */
  private String reachableHolder() {
    List<String> holders = Arrays.stream(Shell.ok(LAB, tag, "holders").split("\n")).filter(s -> !s.isBlank()).toList();
    if (holders.size() != 1) {
      return null;
    }
    Shell.Result answer = Shell.in("dsl-" + tag + "-client", "curl", "-s", "--connect-timeout", "0.3", "--max-time", "1",
        "http://198.18.1.100:8080/api/health");
    String node = holders.get(0).substring(("dsl-" + tag + "-").length());
    return answer.exit() == 0 && answer.output().contains("\"node\":\"" + node + "\"") ? node : null;
  }

  /** What each keepalived said (its state changes and why), for a failure to explain itself: the lab is gone after it. */
  private String keepalivedLogs() {
    StringBuilder all = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      Path file = Path.of("/tmp/dsl-kalab-" + tag, "keepalived-n" + i + ".log");
      try {
        all.append("== n").append(i).append('\n').append(Files.readString(file));
      } catch (IOException e) {
        all.append("== n").append(i).append(": ").append(e).append('\n');
      }
    }
    return all.toString();
  }

  private static String number(String node) {
    return node.substring(1);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
