package io.dspot.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ogg Opus headers (RFC 7845), which jaudiotagger 3.0.1 cannot read: OpusHead for the pre-skip,
 * OpusTags (Vorbis comments) for the tags, and the last page's granule position for the length.
 */
final class OpusReader {

  record Result(Map<String, String> comments, double seconds) {}

  private OpusReader() {}

  static Result read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    int packetsSeen = 0;
    int preSkip = -1;
    Map<String, String> comments = new HashMap<>();
    long lastGranule = -1;
    int pos = 0;
    while (pos + 27 <= bytes.length) {
      if (bytes[pos] != 'O' || bytes[pos + 1] != 'g' || bytes[pos + 2] != 'g' || bytes[pos + 3] != 'S') {
        throw new IOException("lost Ogg page sync at byte " + pos);
      }
      long granule = buf.getLong(pos + 6);
      int segments = bytes[pos + 26] & 0xFF;
      int data = pos + 27 + segments;
      if (data > bytes.length) {
        throw new IOException("truncated Ogg page");
      }
      for (int i = 0; i < segments; i++) {
        int lacing = bytes[pos + 27 + i] & 0xFF;
        if (data + lacing > bytes.length) {
          throw new IOException("truncated Ogg page");
        }
        if (packetsSeen < 2) {
          packet.write(bytes, data, lacing);
          if (lacing < 255) {
            byte[] p = packet.toByteArray();
            packet.reset();
            if (packetsSeen == 0) {
              preSkip = head(p);
            } else {
              comments = tags(p);
            }
            packetsSeen++;
          }
        }
        data += lacing;
      }
      if (granule != -1) {
        lastGranule = granule;
      }
      pos = data;
    }
    if (preSkip < 0 || lastGranule <= preSkip) {
      throw new IOException("not a complete Ogg Opus stream");
    }
    return new Result(comments, (lastGranule - preSkip) / 48_000.0);
  }

  private static int head(byte[] p) throws IOException {
    if (p.length < 19 || !new String(p, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
      throw new IOException("missing OpusHead");
    }
    return (p[10] & 0xFF) | ((p[11] & 0xFF) << 8);
  }

  private static Map<String, String> tags(byte[] p) throws IOException {
    if (p.length < 16 || !new String(p, 0, 8, StandardCharsets.US_ASCII).equals("OpusTags")) {
      throw new IOException("missing OpusTags");
    }
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
    b.position(8);
    long vendor = Integer.toUnsignedLong(b.getInt());
    if (vendor > b.remaining()) {
      throw new IOException("bad OpusTags vendor length");
    }
    b.position(b.position() + (int) vendor);
    long count = Integer.toUnsignedLong(b.getInt());
    Map<String, String> out = new HashMap<>();
    for (long i = 0; i < count && b.remaining() >= 4; i++) {
      long len = Integer.toUnsignedLong(b.getInt());
      if (len > b.remaining()) {
        throw new IOException("bad OpusTags comment length");
      }
      String entry = new String(p, b.position(), (int) len, StandardCharsets.UTF_8);
      b.position(b.position() + (int) len);
      int eq = entry.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(entry.substring(0, eq).toUpperCase(Locale.ROOT), entry.substring(eq + 1));
      }
    }
    return out;
  }
}
