package io.dspot.web;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.config.NodeConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one HTTP server's clients may hold: a cap on open connections in total and per client
 * address, checked when a connection is accepted (the excess is closed at once, before it sends a
 * byte we would parse), and a deadline for a request's headers (slowloris: a connection that
 * trickles a header line every few seconds is never idle). Netty's idle timeout covers the rest.
 *
 * <p>One guard per server, shared by all its verticle instances (they share the port and the
 * process's file descriptors), so its counters are atomic.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final String server;
  private final int maxTotal;
  private final int maxPerAddress;
  private final long headerTimeoutMillis;
  private final int idleTimeoutSeconds;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  /** Header deadline timers of connections still waiting for a request's headers. */
  private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();
  private final RateLimitedWarning refusals = new RateLimitedWarning(log, Duration.ofSeconds(30));

  /**
   * {@code shareOfDescriptors}: the part of the process's file-descriptor limit this server may
   * use when {@code maxTotal} is 0 (auto); a configured cap above it is lowered to it, because a
   * process out of descriptors can no longer open its database, blobs or peers' connections.
   */
  public ConnectionGuard(String server, NodeConfig.Connections limits, double shareOfDescriptors) {
    this.server = server;
    long ceiling = Math.max(16, (long) (FileDescriptors.limit() * shareOfDescriptors));
    int configured = limits.maxTotal();
    if (configured > ceiling) {
      log.warn("{} server: connections.maxTotal {} is above {} ({} of this process's file-descriptor limit {}); using {}",
          server, configured, ceiling, shareOfDescriptors, FileDescriptors.limit(), ceiling);
    }
    this.maxTotal = (int) (configured == 0 ? ceiling : Math.min(configured, ceiling));
    this.maxPerAddress = Math.min(limits.maxPerAddress(), maxTotal);
    this.headerTimeoutMillis = limits.headerTimeoutSeconds() * 1000L;
    this.idleTimeoutSeconds = limits.idleTimeoutSeconds();
    log.info("{} server: at most {} connections, {} per client address; headers within {} s, idle {} s",
        server, maxTotal, maxPerAddress, limits.headerTimeoutSeconds(), idleTimeoutSeconds);
  }

  /**
   * The server options this guard needs: Netty's idle timeout closes connections silent both ways;
   * cleartext HTTP/2 (h2c) is off because while Vert.x waits to see whether a plain connection
   * asks for it, it holds the connection back from the connection handler until a whole request
   * has arrived, which is exactly what an idle or slowloris connection never sends. (Browsers speak
   * HTTP/2 only over TLS, negotiated with ALPN, which is unaffected.)
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options.setIdleTimeout(idleTimeoutSeconds).setHttp2ClearTextEnabled(false);
  }

  /** The server's connection handler: counts the connection, or closes it at once over a cap. */
  public Handler<HttpConnection> connections(Vertx vertx) {
    return connection -> {
      String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
      AtomicInteger fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
      int total = open.incrementAndGet();
      int mine = fromAddress.incrementAndGet();
      connection.closeHandler(v -> {
        cancelDeadline(vertx, connection);
        open.decrementAndGet();
        if (fromAddress.decrementAndGet() <= 0) {
          perAddress.remove(address, fromAddress);
        }
      });
      if (total > maxTotal || mine > maxPerAddress) {
        refusals.warnFor(address, "{} server: refused connections from {} ({} open from it, {} in total; caps {} and {})",
            server, address, mine, total, maxPerAddress, maxTotal);
        connection.close();
        return;
      }
      armDeadline(vertx, connection, headerTimeoutMillis);
    };
  }

  /**
   * Mounts, as the router's first handler: headers arrived, so the deadline is off; an HTTP/1.x
   * connection gets one again once the answer is sent: the next request's headers are due within
   * the idle timeout, so a kept-alive connection cannot trickle forever either. (Not the shorter
   * header deadline: clients keep pooled connections idle for up to a minute, Vert.x's peer
   * client included, and a server closing first races their next request.) HTTP/2 multiplexes,
   * so its later streams are left to the idle timeout. (Through the routing context: vertx-web
   * owns the response's own end handler.)
   */
  public void install(Router router) {
    router.route().handler(ctx -> {
      HttpConnection connection = ctx.request().connection();
      Vertx vertx = ctx.vertx();
      cancelDeadline(vertx, connection);
      if (ctx.request().version() != HttpVersion.HTTP_2) {
        ctx.addEndHandler(v -> armDeadline(vertx, connection, idleTimeoutSeconds * 1000L));
      }
      ctx.next();
    });
  }

  /** Open connections now, for tests and health. */
  public int open() {
    return open.get();
  }

  public int maxTotal() {
    return maxTotal;
  }

  private void armDeadline(Vertx vertx, HttpConnection connection, long millis) {
    long timer = vertx.setTimer(millis, t -> {
      if (deadlines.remove(connection, t)) {
        log.debug("{} server: closing a connection from {} that sent no complete request headers in {} ms",
            server, connection.remoteAddress(), millis);
        connection.close();
      }
    });
    Long earlier = deadlines.put(connection, timer);
    if (earlier != null) {
      vertx.cancelTimer(earlier);
    }
  }

  private void cancelDeadline(Vertx vertx, HttpConnection connection) {
    Long timer = deadlines.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
