package io.dspot.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Catches files cut short in transfer, which tag readers happily accept: each container says
 * somewhere how long it should be (MP3 Xing/Info byte count, WAV data chunk, MP4 box sizes, Ogg
 * end-of-stream page, FLAC metadata blocks followed by audio frames).
 */
final class TruncationCheck {

  private TruncationCheck() {}

  static void verify(Path file, AudioFormat format, String name) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      boolean complete = switch (format) {
        case MP3 -> mp3(ch);
        case WAV -> wav(ch);
        case M4A -> mp4(ch);
        case OGG_OPUS, OGG_VORBIS -> ogg(ch);
        case FLAC -> flac(ch);
      };
      if (!complete) {
        throw new IngestException(400, name, "truncated " + format.extension.toUpperCase() + " file: it ends before its declared length");
      }
    } catch (IOException e) {
      throw new IngestException(400, name, "cannot read the file: " + e.getMessage());
    }
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, Math.min(length, ch.size() - position)));
    while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
      // keep reading
    }
    return buf.flip();
  }

  private static boolean mp3(FileChannel ch) throws IOException {
    long start = 0;
    ByteBuffer id3 = read(ch, 0, 10);
    if (id3.remaining() == 10 && id3.get(0) == 'I' && id3.get(1) == 'D' && id3.get(2) == '3') {
      int size = ((id3.get(6) & 0x7F) << 21) | ((id3.get(7) & 0x7F) << 14) | ((id3.get(8) & 0x7F) << 7) | (id3.get(9) & 0x7F);
      start = 10L + size + ((id3.get(5) & 0x10) != 0 ? 10 : 0);
    }
    if (start >= ch.size()) {
      return false;
    }
    ByteBuffer frame = read(ch, start, 256);
    String text = StandardCharsets.ISO_8859_1.decode(frame.duplicate()).toString();
    int at = Math.max(text.indexOf("Xing"), text.indexOf("Info"));
    if (at < 0 || at + 16 > frame.limit()) {
      return true; // no length header to compare against
    }
    int flags = frame.getInt(at + 4);
    int pos = at + 8;
    if ((flags & 1) != 0) {
      pos += 4;
    }
    if ((flags & 2) == 0 || pos + 4 > frame.limit()) {
      return true;
    }
    long declared = Integer.toUnsignedLong(frame.getInt(pos));
    return ch.size() - start >= declared;
  }

  private static boolean wav(FileChannel ch) throws IOException {
    long pos = 12;
    while (pos + 8 <= ch.size()) {
      ByteBuffer header = read(ch, pos, 8).order(ByteOrder.LITTLE_ENDIAN);
      String id = new String(new byte[] {header.get(0), header.get(1), header.get(2), header.get(3)}, StandardCharsets.US_ASCII);
      long size = Integer.toUnsignedLong(header.getInt(4));
      if (id.equals("data")) {
        return pos + 8 + size <= ch.size() && size > 0;
      }
      pos += 8 + size + (size & 1);
    }
    return false;
  }

  private static boolean mp4(FileChannel ch) throws IOException {
    long pos = 0;
    boolean moov = false;
    boolean mdat = false;
    while (pos + 8 <= ch.size()) {
      ByteBuffer header = read(ch, pos, 16);
      long size = Integer.toUnsignedLong(header.getInt(0));
      String type = new String(new byte[] {header.get(4), header.get(5), header.get(6), header.get(7)}, StandardCharsets.US_ASCII);
      if (size == 1 && header.remaining() >= 16) {
        size = header.getLong(8);
      } else if (size == 0) {
        size = ch.size() - pos;
      }
      if (size < 8 || pos + size > ch.size()) {
        return false;
      }
      moov |= type.equals("moov");
      mdat |= type.equals("mdat");
      pos += size;
    }
    return moov && mdat && pos == ch.size();
  }

  private static boolean ogg(FileChannel ch) throws IOException {
    long tailStart = Math.max(0, ch.size() - 65_536);
    ByteBuffer tail = read(ch, tailStart, 65_536);
    byte[] bytes = new byte[tail.remaining()];
    tail.get(bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int last = text.lastIndexOf("OggS");
    if (last < 0 || last + 27 > bytes.length) {
      return false;
    }
    boolean endOfStream = (bytes[last + 5] & 0x04) != 0;
    int segments = bytes[last + 26] & 0xFF;
    if (last + 27 + segments > bytes.length) {
      return false;
    }
    long body = 0;
    for (int i = 0; i < segments; i++) {
      body += bytes[last + 27 + i] & 0xFF;
    }
    return endOfStream && last + 27 + segments + body == bytes.length;
  }

  private static boolean flac(FileChannel ch) throws IOException {
    long pos = 4;
    while (true) {
      ByteBuffer header = read(ch, pos, 4);
      if (header.remaining() < 4) {
        return false;
      }
      boolean lastBlock = (header.get(0) & 0x80) != 0;
      long length = ((header.get(1) & 0xFFL) << 16) | ((header.get(2) & 0xFFL) << 8) | (header.get(3) & 0xFFL);
      pos += 4 + length;
      if (pos > ch.size()) {
        return false;
      }
      if (lastBlock) {
        ByteBuffer sync = read(ch, pos, 2);
        return sync.remaining() == 2 && (sync.get(0) & 0xFF) == 0xFF && (sync.get(1) & 0xFE) == 0xF8;
      }
    }
  }
}
