package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.storage.BlobStore;
import io.dspot.streaming.RangeCaseTable.Case;
import io.dspot.streaming.RangeCaseTable.Target;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestCluster;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming through a node that does not hold the song: three real clustered nodes, songs uploaded
 * on node 1 (today the only holder: the replication factor is 1), every request sent to node 2,
 * which relays the bytes from a holder over the internal network. The tests run in order: the
 * range table while the cluster is whole, then node 1 is stopped in the middle of a body (node 3
 * holds a copy by then), then node 3 loses its copy, then node 3 stops in the middle of a body,
 * then no holder is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamFromAnyNodeTest {

  private static final String WAV = "audio/wav";
  /**
   * Far more than every buffer between node 1 and the client together (node 1's socket send
   * buffer, node 2's autotuned receive buffer, node 2's send buffer, the client's small receive
   * window): when node 1 stops after the client read {@link #READ_BEFORE_KILL}, most of the body
   * has not left it yet, so node 3 must send the rest.
   */
  private static final int BIG_SIZE = 48 * 1024 * 1024;
  private static final int READ_BEFORE_KILL = 1024 * 1024;

  @TempDir
  static Path dir;
  private static TestCluster cluster;
  private static TestNode holder;
  private static TestNode relay;
  private static TestNode spare;
  private static ApiClient viaRelay;
  private static JsonObject tableSong;
  private static JsonObject bigSong;
  private static byte[] bigContent;
  private static RangeCaseTable table;
  private static RangeCaseTable tableOverHttp2;

  @BeforeAll
  static void uploadOnNodeOne() throws Exception {
    // Replication paused on every node: node 1 keeps the only copy, and the second holder is made
    // by hand below, so each test knows exactly who holds what.
    cluster = TestCluster.start(3, Map.of("DSPOT_REPLICATION_ENABLED", "false"));
    holder = cluster.node(0);
    relay = cluster.node(1);
    spare = cluster.node(2);
    ApiClient onHolder = new ApiClient(holder).asAdmin();
    byte[] content = TestAudio.wav(RangeCaseTable.SIZE, 20240305L);
    tableSong = onHolder.uploadSong(Files.write(dir.resolve("range-table.wav"), content));
    bigContent = TestAudio.wav(BIG_SIZE, 77L);
    bigSong = onHolder.uploadSong(Files.write(dir.resolve("big.wav"), bigContent));
    viaRelay = new ApiClient(relay).asAdmin();
    for (JsonObject song : new JsonObject[] {tableSong, bigSong}) {
      Await.within(Duration.ofSeconds(15)).until("node 2 knows song " + song.getString("id"),
          () -> viaRelay.get("/api/songs/" + song.getString("id")).status() == 200);
    }
    assertThat(relay.blobCount()).as("node 2 holds no blob: every byte it streams is relayed").isZero();
    assertThat(spare.blobCount()).isZero();
    String streamPath = streamPath(tableSong);
    ApiClient.Reply headOnHolder = onHolder.head(streamPath);
    assertThat(headOnHolder.status()).isEqualTo(200);
    Target throughRelay = new Target(
        URI.create(relay.baseUrl() + streamPath),
        content,
        WAV,
        "\"" + tableSong.getString("sha256") + "\"",
        headOnHolder.header("Last-Modified"),
        Map.of("Authorization", "Bearer " + viaRelay.token()));
    table = new RangeCaseTable(throughRelay, HttpClient.Version.HTTP_1_1);
    tableOverHttp2 = new RangeCaseTable(throughRelay, HttpClient.Version.HTTP_2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Stream<Case> cases() {
    return table.cases();
  }

  /** Status, validators, Content-Range, Content-Length, multipart framing and every byte, as from the holder itself. */
  @Order(1)
  @ParameterizedTest(name = "through node 2: {0}")
  @MethodSource("cases")
  void rangeTableAnswersTheSameThroughANodeWithoutTheSong(Case c) throws Exception {
    table.check(c);
  }

  /** HTTP/2 writes and resets streams, not connections: the relay's backpressure and cut differ there. */
  @Order(1)
  @ParameterizedTest(name = "through node 2 over HTTP/2: {0}")
  @MethodSource("cases")
  void rangeTableAnswersTheSameThroughANodeWithoutTheSongOverHttp2(Case c) throws Exception {
    tableOverHttp2.assumeProtocolAvailable();
    tableOverHttp2.check(c);
  }

  @Order(2)
  @Test
  void headersMatchTheHolderForTheSameRequest() {
    ApiClient onHolder = new ApiClient(holder).asAdmin();
    String path = streamPath(tableSong);
    for (String range : new String[] {null, "bytes=100-199", "bytes=-500", "bytes=0-1,5-6", "bytes=10000-"}) {
      ApiClient.Reply direct = range == null ? onHolder.get(path) : onHolder.get(path, "Range", range);
      ApiClient.Reply relayed = range == null ? viaRelay.get(path) : viaRelay.get(path, "Range", range);
      assertThat(relayed.status()).as(range).isEqualTo(direct.status());
      assertThat(comparableHeaders(relayed)).as(range).isEqualTo(comparableHeaders(direct));
      if (range == null || !range.contains(",")) {
        assertThat(relayed.body()).as(range).isEqualTo(direct.body());
      }
    }
  }

  /**
   * A client that stops reading (a player with enough buffered) for longer than the peers' 2 s
   * timeout: node 2 holds node 1's body back meanwhile, and that pause must not count as the
   * holder stalling. Node 1 is the only holder here, so a failover would have nowhere to go and
   * the body would be cut.
   */
  @Order(3)
  @Test
  void clientPausingLongerThanThePeerTimeoutStillGetsTheCompleteFile() throws Exception {
    try (SlowClient client = SlowClient.get(relay, streamPath(bigSong), viaRelay.token())) {
      client.read(READ_BEFORE_KILL);
      Thread.sleep(3_500);
      client.readToEndAndCheck(bigContent);
    }
  }

  /**
   * Node 1 stops while node 2 is relaying a large body to a slow client; node 2 continues from
   * node 3 at the byte it had reached and the client gets the whole file, byte for byte.
   */
  @Order(4)
  @Test
  void holderStoppedMidBodyTheClientStillGetsTheCompleteFile() throws Exception {
    makeSpareASecondHolder(bigSong);
    try (SlowClient client = SlowClient.get(relay, streamPath(bigSong), viaRelay.token())) {
      client.read(READ_BEFORE_KILL);
      holder.close();
      long resumed = System.nanoTime();
      client.readToEndAndCheck(bigContent);
      assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isLessThan(Duration.ofSeconds(20));
    }
  }

  /** Node 1 is gone; node 3 is listed but lost the file: every holder fails before the first byte. */
  @Order(5)
  @Test
  void everyHolderFailingBeforeTheFirstByteAnswers503() throws Exception {
    Path onSpare = new BlobStore(spare.dataDir()).pathFor(bigSong.getString("sha256"));
    Files.delete(onSpare);
    assertUnavailable(bigSong);
    Files.write(onSpare, bigContent);
  }

  /** The last holder stops mid-body: the connection is cut, and what arrived is the file's beginning, never wrong bytes. */
  @Order(6)
  @Test
  void lastHolderStoppedMidBodyCutsTheConnectionAfterCorrectBytesOnly() throws Exception {
    try (SlowClient client = SlowClient.get(relay, streamPath(bigSong), viaRelay.token())) {
      client.read(READ_BEFORE_KILL);
      spare.close();
      byte[] received = client.readUntilCut();
      assertThat(received.length).as("cut before the announced length").isLessThan(BIG_SIZE);
      assertThat(Arrays.equals(received, 0, received.length, bigContent, 0, received.length))
          .as("every byte sent is the file's").isTrue();
    }
  }

  @Order(7)
  @Test
  void noLiveHolderAnswers503WithRetryAfterQuickly() {
    assertUnavailable(tableSong);
    assertUnavailable(bigSong);
    ApiClient.Reply head = viaRelay.head(streamPath(tableSong), "Range", "bytes=0-1");
    assertThat(head.status()).isEqualTo(503);
    assertThat(head.header("Retry-After")).isNotNull();
    assertThat(head.body()).isEmpty();
  }

  private static void assertUnavailable(JsonObject song) {
    long started = System.nanoTime();
    ApiClient.Reply reply = viaRelay.get(streamPath(song), "Range", "bytes=0-99");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("never a hang").isLessThan(Duration.ofSeconds(5));
    assertThat(reply.status()).as(reply.text()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.header("Content-Range")).isNull();
    assertThat(reply.json().getString("error"))
        .contains(song.getString("id"))
        .contains("no node holding it is reachable");
  }

  /** Node 3 becomes a second holder, and node 2 (the relay) knows it. */
  private static void makeSpareASecondHolder(JsonObject song) throws Exception {
    HandMadeReplica.make(song.getString("sha256"), holder.dataDir(), spare.nodeId(), spare.dataDir(), relay);
  }

  private static String streamPath(JsonObject song) {
    return "/api/songs/" + song.getString("id") + "/stream";
  }

  /** The headers a client relies on; Date and the multipart boundary differ from answer to answer by design. */
  private static Map<String, String> comparableHeaders(ApiClient.Reply reply) {
    Map<String, String> picked = new LinkedHashMap<>();
    for (String name : new String[] {"Content-Length", "Content-Range", "ETag", "Last-Modified", "Accept-Ranges",
        "Cache-Control", "Content-Type"}) {
      String value = reply.header(name);
      picked.put(name, value == null ? null : value.replaceAll("boundary=.*", "boundary="));
    }
    if (picked.get("Content-Type") != null && picked.get("Content-Type").startsWith("multipart/")) {
      picked.remove("Content-Length");
    }
    return picked;
  }

  /**
   * A raw HTTP/1.1 GET with a small receive window, read at the test's pace: java.net.http would
   * read ahead into its own buffers, and it hides the exact bytes that came before the end.
   */
  private static final class SlowClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int length;

    private SlowClient(Socket socket, InputStream in, int length) {
      this.socket = socket;
      this.in = in;
      this.length = length;
    }

    static SlowClient get(TestNode node, String path, String token) throws IOException {
      Socket socket = new Socket();
      // Set before connecting: the window is agreed in the handshake.
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSoTimeout(15_000);
      socket = io.dspot.testkit.LoopbackTls.connect(socket, node.port(), node.baseUrl().startsWith("https"));
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      Map<String, String> headers = readHead(in);
      assertThat(headers.get(":status")).isEqualTo("200");
      return new SlowClient(socket, in, Integer.parseInt(headers.get("content-length")));
    }

    void read(int count) throws IOException {
      byte[] chunk = new byte[16 * 1024];
      int left = count;
      while (left > 0) {
        int n = in.read(chunk, 0, Math.min(chunk.length, left));
        if (n < 0) {
          throw new IOException("body cut after " + body.size() + " of " + length + " bytes");
        }
        body.write(chunk, 0, n);
        left -= n;
      }
    }

    void readToEndAndCheck(byte[] expected) throws IOException {
      assertThat(length).as("Content-Length").isEqualTo(expected.length);
      read(length - body.size());
      assertThat(in.read()).as("nothing after the announced length").isEqualTo(-1);
      assertThat(Arrays.equals(body.toByteArray(), expected)).as("the body is the file, byte for byte").isTrue();
    }

    /** Reads until the server closes the connection; returns every body byte received. */
    byte[] readUntilCut() throws IOException {
      byte[] chunk = new byte[16 * 1024];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        body.write(chunk, 0, n);
      }
      return body.toByteArray();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The status line and headers of an HTTP/1.1 answer; names lower-cased, the status under ":status". */
  private static Map<String, String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the headers: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":status", lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    return headers;
  }

}
