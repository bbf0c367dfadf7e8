package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.RawSockets;
import io.dspot.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads the node refuses are answered at once and their bodies are not read to the end: an
 * anonymous client announcing 1000 MiB, and an admin's file over the size limit, each get their
 * answer and a closed connection after a bounded number of bytes. A body cut off before its
 * closing boundary is a 400 and leaves nothing behind.
 */
@org.junit.jupiter.api.Timeout(120)
class RefusedUploadTest {

  private static final long ANNOUNCED = 1000L * 1024 * 1024;
  /** What the node may take in before closing: its 64 MiB linger plus both sides' socket buffers. */
  private static final long BOUND = 96L * 1024 * 1024;
  private static final long LIMIT = 1024 * 1024;

  private static TestNode node;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    node = TestNode.builder().set("DSPOT_UPLOAD_MAX_FILE_BYTES", Long.toString(LIMIT)).start();
    admin = new ApiClient(node).asAdmin();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anAnonymousGigabyteUploadIsAnswered401AndClosedEarly() throws Exception {
    Sent sent = pushUpload(null);
    assertThat(sent.answer()).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close").contains("not logged in");
    assertThat(sent.bytes()).as("bytes the client got to send").isLessThan(BOUND);
    assertThat(sent.millis()).as("time until the node closed").isLessThan(15_000);
    assertThat(node.tempFileCount()).isZero();
  }

  @Test
  void anAdminsFileOverTheLimitIsAnswered413AndClosedEarly() throws Exception {
    long songs = admin.get("/api/songs").json().getLong("total");
    Sent sent = pushUpload(admin.token());
    assertThat(sent.answer()).startsWith("HTTP/1.1 413").contains("big.mp3: larger than the upload limit of " + LIMIT + " bytes");
    assertThat(sent.bytes()).isLessThan(BOUND);
    assertThat(sent.millis()).isLessThan(15_000);
    assertThat(node.tempFileCount()).isZero();
    assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(songs);
  }

  @Test
  void aMultipartBodyWithoutItsClosingBoundaryIs400AndLeavesNothing() throws Exception {
    byte[] song = Files.readAllBytes(ApiClient.fixture("tone.mp3"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tone.mp3\"\r\n"
        + "Content-Type: audio/mpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(song);
    long songs = admin.get("/api/songs").json().getLong("total");
    ApiClient.Reply r = admin.postRaw("/api/songs", "multipart/form-data; boundary=cut", body.toByteArray());
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("closing multipart boundary");
    assertThat(node.tempFileCount()).isZero();
    assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(songs);

    // The same bytes with their boundary are a song: the refusal was about the cut, not the file.
    body.write("\r\n--cut--\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(admin.postRaw("/api/songs", "multipart/form-data; boundary=cut", body.toByteArray()).status()).isEqualTo(201);
  }

  @Test
  void aClientThatReadsOnlyAfterSendingASongSizedBodyStillGetsTheRefusal() throws Exception {
    // The JDK client sends the whole body before it reads; a node that closed after 1 MiB reset
    // the connection under it, and more than half of these got no answer at all.
    java.nio.file.Path song = Files.write(Files.createTempFile("refused", ".wav"), new byte[6 * 1024 * 1024]);
    ApiClient anonymous = new ApiClient(node);
    for (int i = 0; i < 20; i++) {
      ApiClient.Reply r = anonymous.upload(song);
      assertThat(r.status()).as(r.text()).isEqualTo(401);
      assertThat(r.json().getString("error")).contains("not logged in");
    }
    Files.delete(song);
    assertThat(node.tempFileCount()).isZero();
  }

  @Test
  void aClientThatAsksFirstWithExpectContinueSendsNoBodyToBeRefusedAndIsToldToGoOnWhenWelcome() throws Exception {
    try (Socket socket = RawSockets.open(node.baseUrl(), "127.0.0.1")) {
      socket.getOutputStream().write(expectContinue(null, ANNOUNCED));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 401").contains("not logged in").doesNotContain("100 Continue");
    }
    byte[] song = Files.readAllBytes(ApiClient.fixture("tone.mp3"));
    String preamble = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tone.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n";
    byte[] end = "\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
    long length = preamble.length() + song.length + end.length;
    try (Socket socket = RawSockets.open(node.baseUrl(), "127.0.0.1")) {
      OutputStream out = socket.getOutputStream();
      out.write(expectContinue(admin.token(), length));
      socket.setSoTimeout(5_000);
      byte[] interim = new byte[25];
      assertThat(socket.getInputStream().readNBytes(interim, 0, interim.length)).isEqualTo(interim.length);
      assertThat(new String(interim, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      out.write(preamble.getBytes(StandardCharsets.UTF_8));
      out.write(song);
      out.write(end);
      byte[] head = new byte[12];
      socket.getInputStream().readNBytes(head, 0, head.length);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 201");
    }
  }

  private static byte[] expectContinue(String token, long length) {
    return ("POST /api/songs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private record Sent(String answer, long bytes, long millis) {}

  /** Announces a 1000 MiB upload and writes until the node stops taking bytes; reads the answer meanwhile. */
  private static Sent pushUpload(String token) throws Exception {
    try (Socket socket = RawSockets.open(node.baseUrl(), "127.0.0.1")) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "reset: " + e.getMessage();
        }
      });
      String preamble = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n";
      out.write(("POST /api/songs HTTP/1.1\r\nHost: " + socket.getInetAddress().getHostAddress() + ":" + socket.getPort() + "\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n" + preamble)
          .getBytes(StandardCharsets.UTF_8));
      long started = System.nanoTime();
      long sent = 0;
      byte[] chunk = new byte[64 * 1024];
      try {
        while (sent < ANNOUNCED && !answer.isDone()) {
          out.write(chunk);
          sent += chunk.length;
        }
        // The answer is in; the node closes within its linger time whatever we still send.
        while (sent < ANNOUNCED) {
          out.write(chunk);
          sent += chunk.length;
        }
      } catch (IOException closed) {
        // what we wanted: the node closed the connection
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("refused upload (%s): the client sent %d KiB of %d MiB in %d ms before the node closed%n",
          token == null ? "anonymous" : "over the limit", sent / 1024, ANNOUNCED / 1024 / 1024, millis);
      return new Sent(answer.get(30, TimeUnit.SECONDS), sent, millis);
    }
  }
}
