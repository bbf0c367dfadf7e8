package io.dspot.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The port allocator, and that a real node's bind failure is recognised as one (so starts are
 * retried). PostgreSQL's is too (TestNode marks it: the port is held by someone else after the
 * failure), but zonky only gives up after the node's 90 s startup wait, too slow to test here.
 */
class PortsTest {

  @Test
  void portsAreDistinctFreeAndBelowTheTemporaryRange() throws IOException {
    int temporaryStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    List<Integer> ports = Ports.take(50);

    assertThat(new HashSet<>(ports)).hasSize(50);
    assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(20_000, temporaryStart - 1));
    for (int port : ports) {
      new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
    }
  }

  @Test
  void aStartThatLostItsPortIsRetriedAndOtherFailuresAreNot() {
    AtomicInteger attempts = new AtomicInteger();
    String started = Ports.retryOnBindConflict("test", () -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("start failed", new BindException("Address already in use"));
      }
      return "up";
    });
    assertThat(started).isEqualTo("up");
    assertThat(attempts).hasValue(3);

    attempts.set(0);
    assertThatThrownBy(() -> Ports.retryOnBindConflict("test", () -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("bad config");
    })).hasMessage("bad config");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void hazelcastFindingItsPortTakenIsABindConflict() throws IOException {
    try (ServerSocket squatter = new ServerSocket(Ports.take(), 1, InetAddress.getLoopbackAddress())) {
      int port = squatter.getLocalPort();
      // A cluster member's ports are given, so the node itself does not retry: the first failure is seen.
      // (Two members: a cluster of one runs without Hazelcast and would not bind the port at all.)
      assertThatThrownBy(() -> TestNode.builder().cluster("squat-" + UUID.randomUUID(), port,
              List.of("127.0.0.1:" + port, "127.0.0.1:" + Ports.take()), 2).start())
          .satisfies(e -> assertThat(Ports.isBindConflict(e)).as("recognised: %s", e).isTrue());
    }
  }
}
