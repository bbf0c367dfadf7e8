package io.dspot.streaming;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 §14.6, RFC 2046 §5.1.1), sized
 * up front so the response can carry an exact Content-Length instead of chunked encoding.
 */
final class MultipartByteranges {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<ByteRange> ranges;
  private final long size;
  private final String partContentType;
  private final String boundary;

  MultipartByteranges(List<ByteRange> ranges, long size, String partContentType, String boundary) {
    this.ranges = List.copyOf(ranges);
    this.size = size;
    this.partContentType = partContentType;
    this.boundary = boundary;
  }

  /** Random, so that the file's own bytes are vanishingly unlikely to contain it. */
  static String newBoundary() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "dspot-" + HexFormat.of().formatHex(bytes);
  }

  List<ByteRange> ranges() {
    return ranges;
  }

  String contentType() {
    return "multipart/byteranges; boundary=" + boundary;
  }

  /** The delimiter and headers written before part {@code index}'s bytes. */
  byte[] partHeader(int index) {
    ByteRange range = ranges.get(index);
    String leadingCrlf = index == 0 ? "" : "\r\n";
    return ascii(leadingCrlf + "--" + boundary + "\r\n"
        + "Content-Type: " + partContentType + "\r\n"
        + "Content-Range: " + range.contentRange(size) + "\r\n"
        + "\r\n");
  }

  byte[] closingDelimiter() {
    return ascii("\r\n--" + boundary + "--\r\n");
  }

  long contentLength() {
    long length = closingDelimiter().length;
    for (int i = 0; i < ranges.size(); i++) {
      length += partHeader(i).length + ranges.get(i).length();
    }
    return length;
  }

  // One byte per char whatever the content type holds, so contentLength() matches what is written.
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
