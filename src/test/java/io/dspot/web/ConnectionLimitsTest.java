package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.RawSockets;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks on connections: slowloris (headers trickled forever) and thousands of idle sockets
 * from one address. The node closes the first after its header deadline, refuses the second over
 * its per-address cap at once, and keeps serving everyone else meanwhile.
 */
@Timeout(300)
class ConnectionLimitsTest {

  private static final String ATTACKER = "127.0.0.2";

  @Test
  void fiveHundredSlowlorisConnectionsAreClosedAfterTheHeaderDeadline() throws Exception {
    int deadlineSeconds = 3;
    try (TestNode node = startWith("DSPOT_CONNECTIONS_HEADER_TIMEOUT_SECONDS", Integer.toString(deadlineSeconds),
        "DSPOT_CONNECTIONS_MAX_PER_ADDRESS", "1000")) {
      List<Socket> loris = new ArrayList<>();
      try {
        long opened = System.nanoTime();
        for (int i = 0; i < 500; i++) {
          Socket s = RawSockets.open(node.baseUrl(), ATTACKER);
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          loris.add(s);
        }
        // 500 TLS handshakes take half a minute on two busy cores: the last one's deadline counts from its own open.
        long allOpen = System.nanoTime();
        // Keep every connection busy with one more header line a second: never idle, never complete.
        long[] closedAtMillis = new long[loris.size()];
        int open = loris.size();
        int line = 0;
        while (open > 0 && elapsedMillis(allOpen) < (deadlineSeconds + 30) * 1000L) {
          line++;
          for (int i = 0; i < loris.size(); i++) {
            if (closedAtMillis[i] != 0) {
              continue;
            }
            if (!trickle(loris.get(i), line) || RawSockets.closedByPeer(loris.get(i), 1)) {
              closedAtMillis[i] = elapsedMillis(opened);
              open--;
            }
          }
          Thread.sleep(1000);
        }
        assertThat(open).as("slowloris connections still open %d s after the first was opened and %d s after the last",
            elapsedMillis(opened) / 1000, elapsedMillis(allOpen) / 1000).isZero();
        assertThat(java.util.Arrays.stream(closedAtMillis).min().getAsLong())
            .as("none is closed before the deadline (%d s): the cause is the deadline, not a cap", deadlineSeconds)
            .isGreaterThanOrEqualTo(deadlineSeconds * 1000L - 500);
        assertThat(new ApiClient(node).get("/api/health").status()).isEqualTo(200);
      } finally {
        loris.forEach(RawSockets::closeQuietly);
      }
    }
  }

  @Test
  void twoThousandIdleSocketsFromOneAddressDoNotStopAListenerOrHealth() throws Exception {
    int perAddress = 50;
    // The header deadline (20 s by default) is the slowloris test's: opening 2,000 TLS connections
    // takes about that long on two busy cores, and the held ones must not meet it while this test
    // looks at the cap.
    try (TestNode node = TestNode.builder().set("DSPOT_CONNECTIONS_MAX_PER_ADDRESS", Integer.toString(perAddress))
        .set("DSPOT_CONNECTIONS_HEADER_TIMEOUT_SECONDS", "300").start()) {
      ApiClient admin = new ApiClient(node).asAdmin();
      JsonObject song = admin.uploadSong(ApiClient.fixture("tone.flac"));
      admin.post("/api/users", new JsonObject().put("username", "lena").put("password", "lena-password-1"));
      ApiClient lena = new ApiClient(node).login("lena", "lena-password-1");

      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 2000; i++) {
          idle.add(RawSockets.open(node.baseUrl(), ATTACKER));
        }
        // The node accepts from its backlog as fast as two busy cores let it: look until it has caught up.
        List<Socket> held = new ArrayList<>(idle);
        long looking = System.nanoTime();
        while (held.size() > perAddress && elapsedMillis(looking) < 60_000) {
          held.removeIf(s -> RawSockets.closedByPeer(s, 1));
        }
        assertThat(held).as("connections over the per-address cap of %d are closed at once, the rest held", perAddress).hasSize(perAddress);
        Thread.sleep(1_000);
        assertThat(held).as("the connections within the cap stay open").noneMatch(s -> RawSockets.closedByPeer(s, 1));

        ApiClient.Reply stream = lena.get("/api/songs/" + song.getString("id") + "/stream");
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.body()).isEqualTo(Files.readAllBytes(ApiClient.fixture("tone.flac")));
        assertThat(new ApiClient(node).get("/api/health").json().getString("status")).isEqualTo("UP");
        assertThat(RawSockets.closedByPeer(RawSockets.open(node.baseUrl(), ATTACKER), 2_000))
            .as("one more from the attacker's address is still refused").isTrue();
      } finally {
        idle.forEach(RawSockets::closeQuietly);
      }
    }
  }

  @Test
  void theTotalCapRefusesTheExcessFromManyAddressesAndAnIdleConnectionIsClosed() throws Exception {
    try (TestNode node = TestNode.builder()
        .set("DSPOT_CONNECTIONS_MAX_TOTAL", "20")
        .set("DSPOT_CONNECTIONS_MAX_PER_ADDRESS", "15")
        .set("DSPOT_CONNECTIONS_IDLE_TIMEOUT_SECONDS", "3")
        .set("DSPOT_CONNECTIONS_HEADER_TIMEOUT_SECONDS", "600")
        .start()) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 15; i++) {
          sockets.add(RawSockets.open(node.baseUrl(), "127.0.0.2"));
        }
        for (int i = 0; i < 10; i++) {
          sockets.add(RawSockets.open(node.baseUrl(), "127.0.0.3"));
        }
        List<Socket> held = new ArrayList<>(sockets);
        long looking = System.nanoTime();
        while (held.size() > 20 && elapsedMillis(looking) < 30_000) {
          held.removeIf(s -> RawSockets.closedByPeer(s, 1));
        }
        assertThat(held).as("25 connections from two addresses, 15 and 10 (each within its cap), total cap 20").hasSize(20);

        // Idle (and well within the header deadline): closed by the idle timeout.
        long idleSince = System.nanoTime();
        for (Socket s : held) {
          assertThat(RawSockets.closedByPeer(s, 15_000)).as("an idle connection is closed").isTrue();
        }
        assertThat(elapsedMillis(idleSince)).isBetween(1_000L, 15_000L);
      } finally {
        sockets.forEach(RawSockets::closeQuietly);
      }
    }
  }

  @Test
  void aKeptAliveConnectionThatTricklesItsNextRequestIsClosedTheIdleTimeoutAfterItsLastAnswer() throws Exception {
    int idleSeconds = 3;
    try (TestNode node = startWith("DSPOT_CONNECTIONS_IDLE_TIMEOUT_SECONDS", Integer.toString(idleSeconds),
        "DSPOT_CONNECTIONS_HEADER_TIMEOUT_SECONDS", "600")) {
      Socket socket = RawSockets.open(node.baseUrl(), ATTACKER);
      try {
        assertThat(askHealth(socket)).startsWith("HTTP/1.1 200");
        // A second answer half-way through the first's deadline moves the deadline: the timer the
        // first armed must not close the connection when it fires.
        Thread.sleep(idleSeconds * 500L);
        assertThat(askHealth(socket)).startsWith("HTTP/1.1 200");
        long lastAnswer = System.nanoTime();
        socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        long closedAfter = -1;
        for (int line = 1; elapsedMillis(lastAnswer) < (idleSeconds + 15) * 1000L; line++) {
          // Never silent (Netty's idle timeout does not apply), never complete.
          if (!trickle(socket, line) || RawSockets.closedByPeer(socket, 500)) {
            closedAfter = elapsedMillis(lastAnswer);
            break;
          }
        }
        assertThat(closedAfter).as("closed after the idle timeout (%d s) from the last answer, not from the first", idleSeconds)
            .isBetween(idleSeconds * 1000L - 300, (idleSeconds + 15) * 1000L);
      } finally {
        RawSockets.closeQuietly(socket);
      }
    }
  }

  /** A node with these environment settings (name, value, name, value...). */
  private static TestNode startWith(String... settings) {
    TestNode.Builder builder = TestNode.builder();
    for (int i = 0; i < settings.length; i += 2) {
      builder.set(settings[i], settings[i + 1]);
    }
    return builder.start();
  }

  /** One health request on a kept-alive connection; its whole answer (head and Content-Length body). */
  private static String askHealth(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    var in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the answer's head: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(length.find()).as("a Content-Length in %s", head).isTrue();
    in.readNBytes(Integer.parseInt(length.group(1)));
    return head.toString();
  }

  private static boolean trickle(Socket socket, int line) {
    try {
      socket.getOutputStream().write(("X-Loris-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long elapsedMillis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
