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
  /** Each open connection's deadline for its next request's headers. */
  private final Map<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();
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
      Deadline deadline = new Deadline(vertx, connection);
      deadlines.put(connection, deadline);
      connection.closeHandler(v -> {
        deadlines.remove(connection);
        deadline.cancel();
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
      deadline.await(headerTimeoutMillis);
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
    long idleMillis = idleTimeoutSeconds * 1000L;
    router.route().handler(ctx -> {
      Deadline deadline = deadlines.get(ctx.request().connection());
      if (deadline != null) { // null: refused over a cap, or closed meanwhile
        deadline.arrived();
        if (ctx.request().version() != HttpVersion.HTTP_2) {
          ctx.addEndHandler(v -> deadline.await(idleMillis));
        }
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

  /**
   * When a connection's next request headers are due, kept with at most one timer per connection
   * that is moved lazily: headers arriving only note it, and an answer's end only sets the new due
   * time while a timer is already pending; the timer, when it fires, closes the connection if it is
   * still waiting past that time, and otherwise sleeps again for what is left. Setting and
   * cancelling a Vert.x timer for every request was ~2 % of the event loops' CPU on small ranges
   * (bench/ranges.md, round 5). Touched only on the connection's event loop.
   */
  private final class Deadline {
    private final Vertx vertx;
    private final HttpConnection connection;
    private boolean waiting;
    private long dueNanos;
    private long millis;
    private long timer = -1;
    private long timerDueNanos;

    Deadline(Vertx vertx, HttpConnection connection) {
      this.vertx = vertx;
      this.connection = connection;
    }

    /** The next request's headers are due within {@code millis} from now. */
    void await(long millis) {
      long now = System.nanoTime();
      this.waiting = true;
      this.millis = millis;
      this.dueNanos = now + millis * 1_000_000;
      if (timer != -1 && timerDueNanos - dueNanos > 0) { // the pending timer would fire too late
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (timer == -1) {
        arm(millis, now);
      }
    }

    /** Headers arrived: nothing is due until {@link #await} again (a pending timer then finds nothing to do). */
    void arrived() {
      waiting = false;
    }

    void cancel() {
      waiting = false;
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void arm(long delayMillis, long now) {
      timerDueNanos = now + delayMillis * 1_000_000;
      timer = vertx.setTimer(delayMillis, this::fired);
    }

    private void fired(long id) {
      timer = -1;
      if (!waiting) {
        return;
      }
      long now = System.nanoTime();
      long leftNanos = dueNanos - now;
      if (leftNanos > 0) {
        arm(Math.max(1, (leftNanos + 999_999) / 1_000_000), now);
        return;
      }
      deadlines.remove(connection, this);
      log.debug("{} server: closing a connection from {} that sent no complete request headers in {} ms",
          server, connection.remoteAddress(), millis);
      connection.close();
    }
  }
}
