package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.dspot.streaming.RangeCaseTable.Case;
import io.dspot.streaming.RangeCaseTable.Target;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The range table of {@link StreamResponderTest}, this time through a whole node: login, upload,
 * catalog lookup, authentication and the web router all stand between the client and the bytes.
 */
class StreamApiRangeTest {

  private static final String WAV = "audio/wav";

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient api;
  private static byte[] content;
  private static JsonObject song;
  private static String streamPath;
  private static RangeCaseTable overHttp11;
  private static RangeCaseTable overHttp2;

  @BeforeAll
  static void uploadSongToNode() throws Exception {
    node = TestNode.builder().start();
    api = new ApiClient(node).asAdmin();
    content = TestAudio.wav(RangeCaseTable.SIZE, 20240305L);
    song = api.uploadSong(Files.write(dir.resolve("range-table.wav"), content));
    streamPath = "/api/songs/" + song.getString("id") + "/stream";
    ApiClient.Reply head = api.head(streamPath);
    assertThat(head.status()).as("HEAD %s: %s", streamPath, head.text()).isEqualTo(200);
    Target target = new Target(
        URI.create(node.baseUrl() + streamPath),
        content,
        WAV,
        "\"" + song.getString("sha256") + "\"",
        head.header("Last-Modified"),
        Map.of("Authorization", "Bearer " + api.token()));
    overHttp11 = new RangeCaseTable(target, HttpClient.Version.HTTP_1_1);
    overHttp2 = new RangeCaseTable(target, HttpClient.Version.HTTP_2);
  }

  @AfterAll
  static void closeNode() {
    if (node != null) {
      node.close();
    }
  }

  static Stream<Case> cases() {
    return overHttp11.cases();
  }

  /** HTTPS with the node's generated certificate, HTTP/1.1 chosen by ALPN (no sendFile under TLS: the bytes go through the engine). */
  @ParameterizedTest(name = "HTTP/1.1 {0}")
  @MethodSource("cases")
  void answersLikeRfc9110OverHttp11(Case c) throws Exception {
    overHttp11.check(c);
  }

  /** HTTPS with HTTP/2 chosen by ALPN, as browsers and Java's client negotiate it ({@link RangeCaseTable#check} asserts the version). */
  @ParameterizedTest(name = "HTTP/2 {0}")
  @MethodSource("cases")
  void answersLikeRfc9110OverHttp2(Case c) throws Exception {
    overHttp2.assumeProtocolAvailable();
    overHttp2.check(c);
  }

  @Test
  void servesTheTableOverHttpsWithTheGeneratedCertificate() {
    assertThat(overHttp11.target().uri().getScheme()).isEqualTo("https");
    assertThat(node.dataDir().resolve("tls").resolve("edge-cert.pem")).exists();
  }

  @Test
  void tableRunsInFull() {
    assertThat(cases().count()).isEqualTo(55);
  }

  @Test
  void validatorsComeFromTheStoredBytesAndTheirUploadTime() throws Exception {
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    assertThat(song.getString("sha256")).isEqualTo(sha256);
    assertThat(song.getLong("size")).isEqualTo(RangeCaseTable.SIZE);
    assertThat(overHttp11.target().etag()).isEqualTo("\"" + sha256 + "\"");
    Instant createdAt = Instant.parse(song.getString("createdAt")).truncatedTo(ChronoUnit.SECONDS);
    assertThat(overHttp11.target().lastModifiedHttp()).isEqualTo(HttpDates.format(createdAt));
  }

  @Test
  void streamIsServedAsAudioWav() {
    assertThat(song.getString("contentType")).isEqualTo(WAV);
    ApiClient.Reply whole = api.get(streamPath);
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Content-Type")).isEqualTo(WAV);
    assertThat(whole.body()).isEqualTo(content);
    ApiClient.Reply header = api.get(streamPath, "Range", "bytes=0-43");
    assertThat(header.status()).isEqualTo(206);
    assertThat(header.header("Content-Type")).isEqualTo(WAV);
    assertThat(new String(header.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
  }

  @Test
  void streamWithoutSessionAnswers401WithJsonError() {
    ApiClient anonymous = new ApiClient(node);
    for (String range : new String[] {null, "bytes=0-1"}) {
      ApiClient.Reply reply = range == null ? anonymous.get(streamPath) : anonymous.get(streamPath, "Range", range);
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      assertThat(reply.json().getString("error")).isEqualTo("not logged in");
      assertThat(reply.header("Content-Range")).isNull();
      assertThat(reply.header("ETag")).isNull();
    }
  }

  @Test
  void streamWithUnknownTokenAnswers401() {
    ApiClient bogus = new ApiClient(node).withToken("not-a-session-token");
    ApiClient.Reply reply = bogus.get(streamPath, "Range", "bytes=0-1");
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().getString("error")).isNotBlank();
  }

  @Test
  void malformedSongIdAnswers400WithJsonError() {
    for (String id : new String[] {"not-a-uuid", "12345", song.getString("id") + "0",
        song.getString("id").replace('-', 'x')}) {
      ApiClient.Reply reply = api.get("/api/songs/" + id + "/stream", "Range", "bytes=0-1");
      assertThat(reply.status()).as(id).isEqualTo(400);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      assertThat(reply.json().getString("error")).as(id).startsWith("malformed song id");
      assertThat(reply.header("Content-Range")).isNull();
    }
  }

  @Test
  void unknownSongIdAnswers404WithJsonError() {
    UUID unknown = UUID.randomUUID();
    ApiClient.Reply reply = api.get("/api/songs/" + unknown + "/stream", "Range", "bytes=0-1");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().getString("error")).isEqualTo("no song with id " + unknown);
    assertThat(reply.header("Content-Range")).isNull();
    assertThat(reply.header("ETag")).isNull();
  }

  /** RFC 9110 §9.3.2: a HEAD answer has no content, error or not. ApiClient negotiates h2 (ALPN), where it shows. */
  @Test
  void errorsAnswerHeadWithoutBody() {
    ApiClient anonymous = new ApiClient(node);
    assertThat(anonymous.head(streamPath).status()).isEqualTo(401);
    assertThat(anonymous.head(streamPath).body()).isEmpty();
    ApiClient.Reply malformed = api.head("/api/songs/not-a-uuid/stream");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).isEmpty();
    assertThat(malformed.header("Content-Length")).as("the length the GET's JSON error has, in bytes")
        .isEqualTo(Integer.toString(api.get("/api/songs/not-a-uuid/stream").body().length));
    ApiClient.Reply unknown = api.head("/api/songs/" + UUID.randomUUID() + "/stream");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEmpty();
  }

  /**
   * The stream route is matched ahead of the other API routes, by a prefix and a scan of the id,
   * for the path spelled plainly; every other spelling goes on to the regular route. Both must give
   * the same answer, behind the same authentication, for every spelling a client may send.
   */
  @Test
  void everySpellingOfTheStreamPathAnswersAsThePlainOne() {
    String id = song.getString("id");
    ApiClient.Reply plain = api.get(streamPath, "Range", "bytes=10-19");
    assertThat(plain.status()).isEqualTo(206);
    assertThat(plain.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 20));
    String encodedFirst = "%" + HexFormat.of().withUpperCase().toHexDigits((byte) id.charAt(0));
    for (String path : new String[] {
        "/api/songs/" + id.toUpperCase(java.util.Locale.ROOT) + "/stream",
        "/api/songs/" + encodedFirst + id.substring(1) + "/stream",
        "/api/songs/./" + id + "/stream",
        "/api/x/../songs/" + id + "/stream"}) {
      ApiClient.Reply reply = api.get(path, "Range", "bytes=10-19");
      assertThat(reply.status()).as(path).isEqualTo(206);
      assertThat(reply.body()).as(path).isEqualTo(plain.body());
      assertThat(reply.header("ETag")).as(path).isEqualTo(plain.header("ETag"));
      assertThat(reply.header("Content-Range")).as(path).isEqualTo(plain.header("Content-Range"));
      assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      ApiClient.Reply anonymous = new ApiClient(node).get(path, "Range", "bytes=10-19");
      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(anonymous.header("Content-Range")).as(path).isNull();
    }
    // Not a stream: other methods, and paths that only look like one, are left to the other routes.
    ApiClient.Reply post = api.send("POST", streamPath, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertThat(post.status()).isEqualTo(404);
    assertThat(post.json().getString("error")).startsWith("no such API endpoint");
    ApiClient.Reply deeper = api.get("/api/songs/" + id + "/x/stream", "Range", "bytes=10-19");
    assertThat(deeper.status()).isEqualTo(404);
    assertThat(deeper.header("Content-Range")).isNull();
  }
}
