package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.streaming.RangeCaseTable.Case;
import io.dspot.streaming.RangeCaseTable.Target;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real server on loopback, real HTTP client: what a browser or ffmpeg would see. */
@ExtendWith(VertxExtension.class)
class StreamResponderTest {

  private static final int SIZE = RangeCaseTable.SIZE;
  // Larger than StreamResponder's 64 KiB read chunk, so multipart copying loops.
  private static final int BIG_SIZE = 300_000;
  private static final String AUDIO = "audio/mpeg";
  private static final Instant LAST_MODIFIED = Instant.parse("2024-03-05T10:15:30Z");
  private static final String LAST_MODIFIED_HTTP = "Tue, 05 Mar 2024 10:15:30 GMT";
  private static final String ETAG = "\"" + "ab".repeat(32) + "\"";

  @TempDir
  static Path dir;
  private static byte[] content;
  private static byte[] bigContent;
  private static HttpServer server;
  private static HttpClient client;
  private static RangeCaseTable table;

  /** The extension's Vert.x for the whole class; it closes it (and the server) after the last test. */
  @BeforeAll
  static void startServer(Vertx vertx, VertxTestContext ctx) throws Exception {
    content = new byte[SIZE];
    new Random(20240305L).nextBytes(content);
    Path song = Files.write(dir.resolve("song.mp3"), content);
    StreamableFile stored = new StreamableFile(song, SIZE, ETAG, LAST_MODIFIED, AUDIO);
    StreamableFile vanished = new StreamableFile(dir.resolve("gone.mp3"), SIZE, ETAG, LAST_MODIFIED, AUDIO);
    bigContent = new byte[BIG_SIZE];
    new Random(7L).nextBytes(bigContent);
    StreamableFile big = new StreamableFile(
        Files.write(dir.resolve("big.mp3"), bigContent), BIG_SIZE, ETAG, LAST_MODIFIED, AUDIO);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    vertx.createHttpServer()
        .requestHandler(request -> StreamResponder.respond(request, switch (request.path()) {
          case "/gone" -> vanished;
          case "/big" -> big;
          default -> stored;
        }))
        .listen(0, "127.0.0.1")
        .onComplete(ctx.succeeding(listening -> {
          server = listening;
          table = new RangeCaseTable(new Target(uri("/song"), content, AUDIO, ETAG, LAST_MODIFIED_HTTP, Map.of()));
          ctx.completeNow();
        }));
  }

  static Stream<Case> cases() {
    return table.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersLikeRfc9110(Case c) throws Exception {
    table.check(c);
  }

  @Test
  void missingSongDataAnswers404WithJsonError() throws Exception {
    HttpResponse<byte[]> response = client.send(
        HttpRequest.newBuilder(uri("/gone")).header("Range", "bytes=0-1").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"song data missing\"}");
    assertThat(header(response, "Content-Range")).isNull();
  }

  @Test
  void otherMethodsAreRefusedWithAllow() throws Exception {
    HttpResponse<byte[]> response = client.send(
        HttpRequest.newBuilder(uri("/song")).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private static String header(HttpResponse<?> response, String name) {
    return RangeCaseTable.header(response, name);
  }

  @Test
  void multipartPartsLargerThanOneReadChunkArriveIntact() throws Exception {
    HttpResponse<byte[]> response = client.send(
        HttpRequest.newBuilder(uri("/big")).header("Range", "bytes=1-150000,200000-").timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(206);
    String boundary = header(response, "Content-Type").replace("multipart/byteranges; boundary=", "");
    String text = new String(response.body(), StandardCharsets.ISO_8859_1);
    String bigAsText = new String(bigContent, StandardCharsets.ISO_8859_1);
    String firstHeaders = "--" + boundary + "\r\nContent-Type: " + AUDIO + "\r\nContent-Range: bytes 1-150000/"
        + BIG_SIZE + "\r\n\r\n";
    String secondHeaders = "\r\n--" + boundary + "\r\nContent-Type: " + AUDIO + "\r\nContent-Range: bytes 200000-"
        + (BIG_SIZE - 1) + "/" + BIG_SIZE + "\r\n\r\n";
    assertThat(text).isEqualTo(firstHeaders + bigAsText.substring(1, 150_001) + secondHeaders
        + bigAsText.substring(200_000) + "\r\n--" + boundary + "--\r\n");
    assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(response.body().length));
  }

  @Test
  void tableCoversEnoughCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(35);
    assertThat(HexFormat.of().parseHex(ETAG.substring(1, ETAG.length() - 1))).hasSize(32);
  }
}
