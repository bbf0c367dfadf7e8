package io.dspot.testkit;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ports for servers that must know a port before they start: Hazelcast (every member lists every
 * other's port) and the embedded PostgreSQL (which cannot bind 0 itself; zonky's "0" opens and
 * closes a socket in the kernel's temporary range). Anything that can bind 0 and report the port
 * it got (Vert.x HTTP servers, the event bus) should do that instead.
 *
 * <p>Ports come from below the kernel's temporary range ({@code ip_local_port_range}), where no
 * outgoing connection takes a local port, starting at a random point per JVM so two test runs on
 * one machine rarely meet, and each is checked by binding it. Another process may still take one
 * before the server binds it: {@link #retryOnBindConflict} starts again with fresh ports.
 */
public final class Ports {

  private static final Logger log = LoggerFactory.getLogger(Ports.class);
  private static final int LOW = 20_000;
  private static final int HIGH = Math.min(32_000, temporaryRangeStart() - 1);
  private static final AtomicInteger next = new AtomicInteger(LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW));
  private static final int ATTEMPTS = 5;

  private Ports() {}

  /** A port no other caller in this JVM got, free on loopback right now. */
  public static int take() {
    for (int tried = 0; tried < HIGH - LOW; tried++) {
      int port = next.getAndUpdate(p -> p + 1 >= HIGH ? LOW : p + 1);
      if (isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
  }

  public static List<Integer> take(int count) {
    return IntStream.range(0, count).map(i -> take()).boxed().toList();
  }

  /**
   * Runs {@code start} (which must take fresh ports each time and clean up after itself when it
   * fails) again when it failed because a port was taken in the meantime.
   */
  public static <T> T retryOnBindConflict(String what, Supplier<T> start) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !isBindConflict(e)) {
          throw e;
        }
        log.warn("{}: a port was taken before it could be bound ({}); trying again with fresh ports", what, e.toString());
      }
    }
  }

  /** Whether {@code failure} (anywhere in its cause chain) is a server that could not bind its port. */
  public static boolean isBindConflict(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      // Hazelcast: "Port [n] is already in use"; Netty's native transport: "bind(..) failed: Address already in use".
      if (t instanceof BindException || message.contains("already in use")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code failure}, marked as a port conflict if {@code port} is now held by another process:
   * PostgreSQL says "already in use" only in its own log, the start fails with "pg_ctl failed".
   */
  public static RuntimeException markedIfTaken(RuntimeException failure, int port) {
    if (isBindConflict(failure) || isFree(port)) {
      return failure;
    }
    return new IllegalStateException("port " + port + " is already in use by another process", failure);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int temporaryRangeStart() {
    try {
      // readAllLines, not readString: a /proc file reports size 0 and readString may stop short.
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }
}
