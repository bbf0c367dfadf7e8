package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real server on loopback, real HTTP client: what a browser or ffmpeg would see. */
class StreamResponderTest {

  private static final int SIZE = 10_000;
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
  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;

  @BeforeAll
  static void startServer() throws Exception {
    content = new byte[SIZE];
    new Random(20240305L).nextBytes(content);
    Path song = Files.write(dir.resolve("song.mp3"), content);
    StreamableFile stored = new StreamableFile(song, SIZE, ETAG, LAST_MODIFIED, AUDIO);
    StreamableFile vanished = new StreamableFile(dir.resolve("gone.mp3"), SIZE, ETAG, LAST_MODIFIED, AUDIO);
    bigContent = new byte[BIG_SIZE];
    new Random(7L).nextBytes(bigContent);
    StreamableFile big = new StreamableFile(
        Files.write(dir.resolve("big.mp3"), bigContent), BIG_SIZE, ETAG, LAST_MODIFIED, AUDIO);
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> StreamResponder.respond(request, switch (request.path()) {
          case "/gone" -> vanished;
          case "/big" -> big;
          default -> stored;
        }))
        .listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One request and everything a client would check in its answer. */
  record Case(String method, String range, String ifRange, String ifNoneMatch, String ifModifiedSince,
      int status, String contentRange, Long contentLength, List<ByteRange> body) {

    static Case get() {
      return new Case("GET", null, null, null, null, 0, null, null, List.of());
    }

    static Case head() {
      return new Case("HEAD", null, null, null, null, 0, null, null, List.of());
    }

    Case range(String value) {
      return new Case(method, value, ifRange, ifNoneMatch, ifModifiedSince, status, contentRange, contentLength, body);
    }

    Case ifRange(String value) {
      return new Case(method, range, value, ifNoneMatch, ifModifiedSince, status, contentRange, contentLength, body);
    }

    Case ifNoneMatch(String value) {
      return new Case(method, range, ifRange, value, ifModifiedSince, status, contentRange, contentLength, body);
    }

    Case ifModifiedSince(String value) {
      return new Case(method, range, ifRange, ifNoneMatch, value, status, contentRange, contentLength, body);
    }

    Case expect(int status, String contentRange, Long contentLength, ByteRange... body) {
      return new Case(method, range, ifRange, ifNoneMatch, ifModifiedSince, status, contentRange, contentLength,
          List.of(body));
    }

    Case wholeFile() {
      return expect(200, null, (long) SIZE, new ByteRange(0, SIZE - 1));
    }

    Case partial(long first, long last) {
      return expect(206, "bytes " + first + "-" + last + "/" + SIZE, last - first + 1, new ByteRange(first, last));
    }

    /** Content-Length is checked against the parsed multipart framing instead of a literal. */
    Case multipart(ByteRange... parts) {
      return expect(206, null, null, parts);
    }

    Case unsatisfiable() {
      return expect(416, "bytes */" + SIZE, null);
    }

    Case notModified() {
      return expect(304, null, null);
    }

    boolean isMultipart() {
      return status == 206 && contentRange == null;
    }

    @Override
    public String toString() {
      return method + describe(" Range", range) + describe(" If-Range", ifRange)
          + describe(" If-None-Match", ifNoneMatch) + describe(" If-Modified-Since", ifModifiedSince) + " -> " + status;
    }

    private static String describe(String name, String value) {
      if (value == null) {
        return "";
      }
      return name + "=" + (value.length() > 60 ? value.substring(0, 60) + "..." : value);
    }
  }

  private static ByteRange part(long first, long last) {
    return new ByteRange(first, last);
  }

  static Stream<Case> cases() {
    String twentyRanges = IntStream.range(0, 20).mapToObj(i -> (i * 100) + "-" + (i * 100 + 9))
        .collect(Collectors.joining(",", "bytes=", ""));
    String sixteenRanges = IntStream.range(0, 16).mapToObj(i -> (i * 100) + "-" + (i * 100 + 9))
        .collect(Collectors.joining(",", "bytes=", ""));
    ByteRange[] sixteenParts = IntStream.range(0, 16).mapToObj(i -> part(i * 100, i * 100 + 9)).toArray(ByteRange[]::new);
    return Stream.of(
        // Plain ranges
        Case.get().wholeFile(),
        Case.get().range("bytes=0-0").partial(0, 0),
        Case.get().range("bytes=0-").partial(0, 9_999),
        Case.get().range("bytes=-1").partial(9_999, 9_999),
        Case.get().range("bytes=-10000").partial(0, 9_999),
        Case.get().range("bytes=-20000").partial(0, 9_999),
        Case.get().range("bytes=9999-").partial(9_999, 9_999),
        Case.get().range("bytes=1000-1999").partial(1_000, 1_999),
        Case.get().range("bytes=500-99999").partial(500, 9_999),
        Case.get().range("bytes= 0-1").partial(0, 1),
        Case.get().range("BYTES=0-1").partial(0, 1),
        // Past the end
        Case.get().range("bytes=10000-").unsatisfiable(),
        Case.get().range("bytes=-0").unsatisfiable(),
        Case.get().range("bytes=20000-,0-1").partial(0, 1),
        // Overflowing numbers: first-pos past any end, last-pos clamped
        Case.get().range("bytes=0-18446744073709551616").partial(0, 9_999),
        Case.get().range("bytes=18446744073709551616-").unsatisfiable(),
        Case.get().range("bytes=99999999999999999999-").unsatisfiable(),
        // Malformed: Range ignored
        Case.get().range("bytes=5-2").wholeFile(),
        Case.get().range("bytes=0-1,5-2").wholeFile(),
        Case.get().range("items=0-1").wholeFile(),
        Case.get().range("bytes=").wholeFile(),
        Case.get().range("bytes=,").wholeFile(),
        Case.get().range("bytes=abc").wholeFile(),
        Case.get().range(twentyRanges).wholeFile(),
        // Multiple ranges
        Case.get().range("bytes=0-1,5-6").multipart(part(0, 1), part(5, 6)),
        Case.get().range("bytes=0-5,3-9").partial(0, 9),
        Case.get().range("bytes=9000-,-5,100-199").multipart(part(100, 199), part(9_000, 9_999)),
        Case.get().range(sixteenRanges).multipart(sixteenParts),
        // If-Range
        Case.get().range("bytes=100-199").ifRange(ETAG).partial(100, 199),
        Case.get().range("bytes=100-199").ifRange("W/" + ETAG).wholeFile(),
        Case.get().range("bytes=100-199").ifRange("\"other\"").wholeFile(),
        Case.get().range("bytes=100-199").ifRange(LAST_MODIFIED_HTTP).partial(100, 199),
        Case.get().range("bytes=100-199").ifRange("Tue, 05 Mar 2024 10:15:29 GMT").wholeFile(),
        Case.get().range("bytes=100-199").ifRange("Tue, 05 Mar 2024 10:15:31 GMT").wholeFile(),
        Case.get().range("bytes=100-199").ifRange("yesterday").wholeFile(),
        Case.get().range("bytes=0-1,5-6").ifRange(ETAG).multipart(part(0, 1), part(5, 6)),
        Case.get().range("bytes=10000-").ifRange(ETAG).unsatisfiable(),
        Case.get().range("bytes=10000-").ifRange("\"other\"").wholeFile(),
        Case.get().ifRange("\"other\"").wholeFile(),
        // If-None-Match / If-Modified-Since
        Case.get().ifNoneMatch(ETAG).notModified(),
        Case.get().ifNoneMatch("*").notModified(),
        Case.get().ifNoneMatch("W/" + ETAG).notModified(),
        Case.get().ifNoneMatch("\"a,b\", " + ETAG).notModified(),
        Case.get().ifNoneMatch("\"other\"").wholeFile(),
        Case.get().range("bytes=0-1").ifNoneMatch(ETAG).notModified(),
        Case.get().ifModifiedSince(LAST_MODIFIED_HTTP).notModified(),
        Case.get().ifModifiedSince("Tue, 05 Mar 2024 10:15:29 GMT").wholeFile(),
        Case.get().ifNoneMatch("\"other\"").ifModifiedSince(LAST_MODIFIED_HTTP).wholeFile(),
        // HEAD: GET's headers, no body
        Case.head().wholeFile(),
        Case.head().range("bytes=100-199").partial(100, 199),
        Case.head().range("bytes=-20000").partial(0, 9_999),
        Case.head().range("bytes=10000-").unsatisfiable(),
        Case.head().range("bytes=0-1,5-6").multipart(part(0, 1), part(5, 6)),
        Case.head().range("bytes=100-199").ifRange("\"other\"").wholeFile(),
        Case.head().ifNoneMatch(ETAG).notModified());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersLikeRfc9110(Case c) throws Exception {
    HttpResponse<byte[]> response = send(c);
    assertThat(response.statusCode()).isEqualTo(c.status());
    assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(response, "ETag")).isEqualTo(ETAG);
    assertThat(header(response, "Last-Modified")).isEqualTo(LAST_MODIFIED_HTTP);
    assertThat(header(response, "Cache-Control")).isEqualTo(StreamResponder.CACHE_CONTROL);
    assertThat(header(response, "Content-Range")).isEqualTo(c.contentRange());
    if (c.contentLength() != null) {
      assertThat(header(response, "Content-Length")).isEqualTo(Long.toString(c.contentLength()));
    }
    if (c.method().equals("HEAD")) {
      assertThat(response.body()).isEmpty();
      assertSameHeadersAsGet(c, response);
      return;
    }
    switch (c.status()) {
      case 200 -> assertBodyIsSlice(response, c.body().get(0), AUDIO);
      case 206 -> {
        if (c.isMultipart()) {
          assertMultipartBody(response, c.body());
        } else {
          assertBodyIsSlice(response, c.body().get(0), AUDIO);
        }
      }
      case 416 -> {
        assertThat(header(response, "Content-Type")).isEqualTo("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"range not satisfiable\"}");
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(response.body().length));
      }
      case 304 -> assertThat(response.body()).isEmpty();
      default -> throw new AssertionError("unexpected status in table: " + c.status());
    }
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

  private static void assertBodyIsSlice(HttpResponse<byte[]> response, ByteRange range, String contentType) {
    assertThat(header(response, "Content-Type")).isEqualTo(contentType);
    assertThat(response.body()).isEqualTo(slice(range));
  }

  /** Strict reading of RFC 2046 framing: any stray or missing byte fails the parse. */
  private static void assertMultipartBody(HttpResponse<byte[]> response, List<ByteRange> expectedParts) {
    String contentType = header(response, "Content-Type");
    assertThat(contentType).startsWith("multipart/byteranges; boundary=");
    String boundary = contentType.substring("multipart/byteranges; boundary=".length());
    byte[] body = response.body();
    assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(body.length));
    // ISO-8859-1 maps every byte to one char, so string positions are byte positions.
    String text = new String(body, StandardCharsets.ISO_8859_1);
    List<ByteRange> seen = new ArrayList<>();
    int pos = 0;
    for (ByteRange expected : expectedParts) {
      String delimiter = (pos == 0 ? "" : "\r\n") + "--" + boundary + "\r\n";
      assertThat(text.startsWith(delimiter, pos)).as("delimiter at %d", pos).isTrue();
      pos += delimiter.length();
      int headersEnd = text.indexOf("\r\n\r\n", pos);
      List<String> headers = Arrays.asList(text.substring(pos, headersEnd).split("\r\n"));
      assertThat(headers).containsExactlyInAnyOrder("Content-Type: " + AUDIO, "Content-Range: " + expected.contentRange(SIZE));
      pos = headersEnd + 4;
      assertThat(Arrays.copyOfRange(body, pos, pos + (int) expected.length())).isEqualTo(slice(expected));
      pos += (int) expected.length();
      seen.add(expected);
    }
    assertThat(text.substring(pos)).isEqualTo("\r\n--" + boundary + "--\r\n");
    assertThat(seen).containsExactlyElementsOf(expectedParts);
  }

  /** HEAD must announce exactly what GET would send (the multipart boundary aside, whose length is fixed). */
  private static void assertSameHeadersAsGet(Case c, HttpResponse<byte[]> head) throws Exception {
    Case asGet = new Case("GET", c.range(), c.ifRange(), c.ifNoneMatch(), c.ifModifiedSince(), c.status(),
        c.contentRange(), c.contentLength(), c.body());
    HttpResponse<byte[]> get = send(asGet);
    assertThat(head.statusCode()).isEqualTo(get.statusCode());
    for (String name : List.of("Content-Range", "Content-Length", "ETag", "Last-Modified")) {
      assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
    }
    assertThat(contentTypeWithoutBoundary(head)).isEqualTo(contentTypeWithoutBoundary(get));
  }

  private static String contentTypeWithoutBoundary(HttpResponse<byte[]> response) {
    String value = header(response, "Content-Type");
    return value == null ? null : value.replaceAll("boundary=.*", "boundary=");
  }

  private static HttpResponse<byte[]> send(Case c) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/song"))
        .method(c.method(), HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10));
    addIfPresent(request, "Range", c.range());
    addIfPresent(request, "If-Range", c.ifRange());
    addIfPresent(request, "If-None-Match", c.ifNoneMatch());
    addIfPresent(request, "If-Modified-Since", c.ifModifiedSince());
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void addIfPresent(HttpRequest.Builder request, String name, String value) {
    if (value != null) {
      request.header(name, value);
    }
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static byte[] slice(ByteRange range) {
    return Arrays.copyOfRange(content, (int) range.first(), (int) range.last() + 1);
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
