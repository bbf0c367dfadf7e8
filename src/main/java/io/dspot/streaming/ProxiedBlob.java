package io.dspot.streaming;

import io.dspot.bus.RateLimitedWarning;
import io.dspot.cluster.RelayClient;
import io.dspot.storage.BlobRoutes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob this node does not hold, relayed from the live nodes that do, over the internal network
 * ({@code GET /internal/blobs/<sha256>} with one range per span the answer needs). Nothing is
 * buffered beyond a chunk: the holder's body is paused whenever the client's write queue is full.
 *
 * <p>Failover: each answer walks the holders in order (this node's location index, live members
 * only). Each holder is asked once ({@link RelayClient}: no retries; one that sends no status line
 * within {@link RelayClient#HEADER_DEADLINE_MILLIS} while another holder is left counts as failed).
 * A holder that fails before sending anything, or in the middle of a span, is left for the
 * next one, which continues the same span at the byte already sent, so the client sees one
 * complete, correct body. A holder that failed is not asked again for the rest of the answer. With no
 * holder left the span fails with {@link SongUnavailable}: a 503 if nothing was sent yet, a cut
 * connection otherwise (a status line cannot be taken back, and a wrong body is worse than none).
 */
final class ProxiedBlob implements SongBytes {

  private static final Logger LOG = LoggerFactory.getLogger(ProxiedBlob.class);

  private final RelayClient relay;
  private final String sha256;
  private final long size;
  private final List<String> holders;
  private final String unavailable;
  private final RateLimitedWarning failovers;

  /**
   * @param holders the live holders to ask, in order; this node is not among them
   * @param unavailable the message when none can be reached (it names the song)
   */
  ProxiedBlob(RelayClient relay, String sha256, long size, List<String> holders, String unavailable,
      RateLimitedWarning failovers) {
    this.relay = relay;
    this.sha256 = sha256;
    this.size = size;
    this.holders = List.copyOf(holders);
    this.unavailable = unavailable;
    this.failovers = failovers;
  }

  /** One per event loop: each holder's first failover is heard at once, repeats at most every 30 s, counted. */
  static RateLimitedWarning failoverWarnings() {
    return new RateLimitedWarning(LOG, Duration.ofSeconds(30));
  }

  @Override
  public Future<Void> send(HttpServerResponse response, long offset, long length) {
    // Announced from the catalog's size, not from the holder's answer: the same header as a local sendFile.
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    return new Answer().copy(response, null, offset, length).compose(v -> response.end());
  }

  @Override
  public Future<Void> copying(Function<SpanCopier, Future<Void>> parts) {
    return parts.apply(new Answer()::copy);
  }

  /** One client answer: which holder is next survives from span to span. */
  private final class Answer {
    private int holder;

    Future<Void> copy(HttpServerResponse response, Buffer lead, long offset, long length) {
      if (length == 0) {
        return lead == null ? Future.succeededFuture() : response.write(lead);
      }
      Span span = new Span(this, response, lead, offset, offset + length);
      span.fromCurrentHolder();
      return span.done.future();
    }
  }

  /** One span [position, end) being relayed; all its callbacks run on the client's event loop. */
  private final class Span {
    private final Answer answer;
    private final HttpServerResponse response;
    private final long end;
    private final Promise<Void> done = Promise.promise();
    private Buffer lead;
    private long position;
    /** The holder's body being relayed; null between holders, so late events of an abandoned one are ignored. */
    private HttpClientResponse current;
    private boolean waitingForClient;
    private boolean reopenWhenClientDrains;

    Span(Answer answer, HttpServerResponse response, Buffer lead, long position, long end) {
      this.answer = answer;
      this.response = response;
      this.lead = lead;
      this.position = position;
      this.end = end;
      response.closeHandler(v -> clientGone());
    }

    void fromCurrentHolder() {
      if (done.future().isComplete()) {
        return;
      }
      if (answer.holder >= holders.size()) {
        done.tryFail(new SongUnavailable(unavailable));
        return;
      }
      String peer = holders.get(answer.holder);
      String expected = "bytes " + position + "-" + (end - 1) + "/" + size;
      // The next holder is the retry: a holder that does not answer soon is left for it.
      boolean othersLeft = answer.holder + 1 < holders.size();
      relay.open(peer, BlobRoutes.pathOf(sha256), "bytes=" + position + "-" + (end - 1), othersLeft).onComplete(opened -> {
        if (opened.failed()) {
          // open counted it against the peer's breaker already.
          failOver(peer, opened.cause().getMessage(), false);
          return;
        }
        HttpClientResponse body = opened.result();
        if (done.future().isComplete()) {
          body.request().reset();
          return;
        }
        String contentRange = body.getHeader(HttpHeaders.CONTENT_RANGE);
        if (body.statusCode() != 206 || !expected.equals(contentRange)) {
          // A 404 means the index is ahead of (or behind) the holder's disk: the peer itself is healthy.
          body.request().reset();
          failOver(peer, "answered " + body.statusCode() + (contentRange == null ? "" : " " + contentRange)
              + " instead of " + expected, false);
          return;
        }
        relay(peer, body);
      });
    }

    private void relay(String peer, HttpClientResponse body) {
      current = body;
      body.handler(chunk -> {
        if (current != body) {
          return;
        }
        if (chunk.length() > end - position) {
          abandonCurrent();
          failOver(peer, "sent more bytes than its Content-Range", true);
          return;
        }
        if (lead != null) {
          response.write(lead);
          lead = null;
        }
        response.write(chunk);
        position += chunk.length();
        if (response.writeQueueFull()) {
          body.pause();
          waitingForClient = true;
          response.drainHandler(v -> clientDrained());
        }
      });
      body.exceptionHandler(failure -> {
        if (current != body) {
          return;
        }
        if (waitingForClient) {
          // Held back for our own slow client (an idle connection may be closed meanwhile): not
          // necessarily the holder's fault. Ask it again once the client reads on; a holder that is
          // really gone fails that attempt and the next one takes over.
          LOG.debug("blob {} from {}: body failed at byte {} while the client was not reading; asking again when it does",
              sha256, peer, position);
          current = null;
          reopenWhenClientDrains = true;
          return;
        }
        failOver(peer, "body failed at byte " + position + ": " + failure.getMessage(), true);
      });
      body.endHandler(v -> {
        if (current != body) {
          return;
        }
        current = null;
        if (position == end) {
          done.tryComplete();
        } else {
          failOver(peer, "body ended at byte " + position + " of " + end, true);
        }
      });
      body.resume();
    }

    private void clientDrained() {
      waitingForClient = false;
      if (reopenWhenClientDrains) {
        reopenWhenClientDrains = false;
        fromCurrentHolder();
      } else if (current != null) {
        current.resume();
      }
    }

    private void failOver(String peer, String why, boolean countAgainstPeer) {
      current = null;
      if (response.closed()) {
        clientGone();
        return;
      }
      if (countAgainstPeer) {
        relay.reportFailure(peer, why);
      }
      answer.holder++;
      String next = answer.holder < holders.size() ? "continuing from " + holders.get(answer.holder) : "no holder left";
      failovers.warnFor(peer, "streaming blob {} from {} failed at byte {} ({}); {}", sha256, peer, position, why, next);
      fromCurrentHolder();
    }

    private void clientGone() {
      abandonCurrent();
      done.tryFail(new IllegalStateException("the client went away at byte " + position));
    }

    /** Stops the holder's body; forgotten first, so the reset's own exception is ignored. */
    private void abandonCurrent() {
      HttpClientResponse abandoned = current;
      current = null;
      if (abandoned != null) {
        abandoned.request().reset();
      }
    }
  }
}
