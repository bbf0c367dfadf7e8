package io.dspot.cluster;

import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport the node's Vert.x runs on: native epoll where it loads (Linux x86-64, the
 * jar ships its library), NIO elsewhere. Epoll serves small ranges with fewer syscalls and copies
 * per request than NIO (bench/ranges.md); a node where it does not load still works, and says why.
 */
public final class NetworkTransport {

  private static final Logger log = LoggerFactory.getLogger(NetworkTransport.class);

  private NetworkTransport() {}

  /** Epoll when it is available on this machine, otherwise NIO with a warning naming the reason. */
  public static Transport choose() {
    Transport epoll = Transport.EPOLL;
    if (epoll.available()) {
      log.info("network transport: {} (native)", epoll.name());
      return epoll;
    }
    Throwable why = epoll.unavailabilityCause();
    log.warn("network transport: nio; native epoll is unavailable here ({}), so streaming costs more CPU per request",
        why == null ? "no reason given" : why.toString());
    return Transport.NIO;
  }
}
