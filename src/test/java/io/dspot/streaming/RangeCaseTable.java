package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The RFC 9110 range table and what a client checks in each answer, for any server that streams
 * one {@value #SIZE}-byte file: the bare {@link StreamResponder} or a whole node behind its API.
 */
final class RangeCaseTable {

  /** Every case's offsets assume this size; each target serves exactly this many bytes. */
  static final int SIZE = 10_000;

  /**
   * Where the file is served and what it must look like there.
   *
   * @param headers sent with every request (e.g. Authorization)
   */
  record Target(URI uri, byte[] content, String contentType, String etag, String lastModifiedHttp,
      Map<String, String> headers) {

    Target {
      if (content.length != SIZE) {
        throw new IllegalArgumentException("the case table needs exactly " + SIZE + " bytes, got " + content.length);
      }
      headers = Map.copyOf(headers);
    }

    /** An HTTP-date this many seconds away from Last-Modified: a validator that must not match. */
    String lastModifiedShiftedBy(long seconds) {
      Instant lastModified = HttpDates.parse(lastModifiedHttp)
          .orElseThrow(() -> new IllegalArgumentException("not an HTTP-date: " + lastModifiedHttp));
      return HttpDates.format(lastModified.plusSeconds(seconds));
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

  /** The validators in the table are the target's own, so "older" and "newer" dates are relative to its Last-Modified. */
  static Stream<Case> cases(Target target) {
    String etag = target.etag();
    String lastModified = target.lastModifiedHttp();
    String secondBefore = target.lastModifiedShiftedBy(-1);
    String secondAfter = target.lastModifiedShiftedBy(1);
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
        Case.get().range("bytes=100-199").ifRange(etag).partial(100, 199),
        Case.get().range("bytes=100-199").ifRange("W/" + etag).wholeFile(),
        Case.get().range("bytes=100-199").ifRange("\"other\"").wholeFile(),
        Case.get().range("bytes=100-199").ifRange(lastModified).partial(100, 199),
        Case.get().range("bytes=100-199").ifRange(secondBefore).wholeFile(),
        Case.get().range("bytes=100-199").ifRange(secondAfter).wholeFile(),
        Case.get().range("bytes=100-199").ifRange("yesterday").wholeFile(),
        Case.get().range("bytes=0-1,5-6").ifRange(etag).multipart(part(0, 1), part(5, 6)),
        Case.get().range("bytes=10000-").ifRange(etag).unsatisfiable(),
        Case.get().range("bytes=10000-").ifRange("\"other\"").wholeFile(),
        Case.get().ifRange("\"other\"").wholeFile(),
        // If-None-Match / If-Modified-Since
        Case.get().ifNoneMatch(etag).notModified(),
        Case.get().ifNoneMatch("*").notModified(),
        Case.get().ifNoneMatch("W/" + etag).notModified(),
        Case.get().ifNoneMatch("\"a,b\", " + etag).notModified(),
        Case.get().ifNoneMatch("\"other\"").wholeFile(),
        Case.get().range("bytes=0-1").ifNoneMatch(etag).notModified(),
        Case.get().ifModifiedSince(lastModified).notModified(),
        Case.get().ifModifiedSince(secondBefore).wholeFile(),
        Case.get().ifNoneMatch("\"other\"").ifModifiedSince(lastModified).wholeFile(),
        // HEAD: GET's headers, no body
        Case.head().wholeFile(),
        Case.head().range("bytes=100-199").partial(100, 199),
        Case.head().range("bytes=-20000").partial(0, 9_999),
        Case.head().range("bytes=10000-").unsatisfiable(),
        Case.head().range("bytes=0-1,5-6").multipart(part(0, 1), part(5, 6)),
        Case.head().range("bytes=100-199").ifRange("\"other\"").wholeFile(),
        Case.head().ifNoneMatch(etag).notModified());
  }

  private final Target target;
  private final HttpClient client;

  /** Java's client asks for HTTP/2 by default (h2c upgrade on plain http); browsers speak HTTP/1.1 there. */
  RangeCaseTable(Target target) {
    this(target, HttpClient.Version.HTTP_2);
  }

  RangeCaseTable(Target target, HttpClient.Version version) {
    this.target = target;
    this.client = io.dspot.testkit.LoopbackTls.httpClient().version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  Target target() {
    return target;
  }

  Stream<Case> cases() {
    return cases(target);
  }

  /**
   * HTTP/2 is negotiated with ALPN over TLS only: on plain http the public server has cleartext
   * HTTP/2 (h2c) off, so that its connection caps see every connection when it is accepted
   * (see web.ConnectionGuard). Tests against a node call this first: an HTTP/2 table on plain http is skipped.
   */
  void assumeProtocolAvailable() {
    org.junit.jupiter.api.Assumptions.assumeTrue(client.version() != HttpClient.Version.HTTP_2 || "https".equals(target.uri().getScheme()),
        "HTTP/2 needs TLS (ALPN); this node speaks plain http");
  }

  /** Sends the case's request to the target and checks status, validators, framing and every byte. */
  void check(Case c) throws Exception {
    HttpResponse<byte[]> response = send(c);
    assertThat(response.version()).as("protocol version").isEqualTo(client.version());
    assertThat(response.statusCode()).isEqualTo(c.status());
    assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(response, "ETag")).isEqualTo(target.etag());
    assertThat(header(response, "Last-Modified")).isEqualTo(target.lastModifiedHttp());
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
      case 200 -> assertBodyIsSlice(response, c.body().get(0));
      case 206 -> {
        if (c.isMultipart()) {
          assertMultipartBody(response, c.body());
        } else {
          assertBodyIsSlice(response, c.body().get(0));
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

  private void assertBodyIsSlice(HttpResponse<byte[]> response, ByteRange range) {
    assertThat(header(response, "Content-Type")).isEqualTo(target.contentType());
    assertThat(response.body()).isEqualTo(slice(range));
  }

  /** Strict reading of RFC 2046 framing: any stray or missing byte fails the parse. */
  private void assertMultipartBody(HttpResponse<byte[]> response, List<ByteRange> expectedParts) {
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
      assertThat(headers).containsExactlyInAnyOrder(
          "Content-Type: " + target.contentType(), "Content-Range: " + expected.contentRange(SIZE));
      pos = headersEnd + 4;
      assertThat(Arrays.copyOfRange(body, pos, pos + (int) expected.length())).isEqualTo(slice(expected));
      pos += (int) expected.length();
      seen.add(expected);
    }
    assertThat(text.substring(pos)).isEqualTo("\r\n--" + boundary + "--\r\n");
    assertThat(seen).containsExactlyElementsOf(expectedParts);
  }

  /** HEAD must announce exactly what GET would send (the multipart boundary aside, whose length is fixed). */
  private void assertSameHeadersAsGet(Case c, HttpResponse<byte[]> head) throws Exception {
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

  private HttpResponse<byte[]> send(Case c) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.uri())
        .method(c.method(), HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10));
    target.headers().forEach(request::header);
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

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private byte[] slice(ByteRange range) {
    return Arrays.copyOfRange(target.content(), (int) range.first(), (int) range.last() + 1);
  }
}
