package io.dspot.streaming;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes around the entries of a zip archive whose entries are stored as they are (method 0:
 * audio does not compress), written front to back without seeking: each entry's CRC-32 is only
 * known once its bytes went by, so it follows them in a data descriptor (flag bit 3), and the
 * central directory at the end repeats it. Sizes are known up front, so the whole length is too.
 *
 * <p>Plain zip, not Zip64: an archive is refused beyond 4 GiB or 65,535 entries.
 */
final class StoredZip {

  static final long MAX_BYTES = 0xFFFF_FFFFL;
  static final int MAX_ENTRIES = 0xFFFF;
  private static final int LOCAL_HEADER = 30;
  private static final int DATA_DESCRIPTOR = 16;
  private static final int CENTRAL_HEADER = 46;
  private static final int END_OF_DIRECTORY = 22;
  private static final int VERSION = 20;
  /** Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8. */
  private static final int FLAGS = 0x0808;

  record Entry(String name, long size, Instant modified) {}

  private final List<Entry> entries;
  private final List<byte[]> names = new ArrayList<>();
  private final long[] offsets;
  private final long[] crcs;
  private final long directoryOffset;
  private final long length;

  StoredZip(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    this.offsets = new long[entries.size()];
    this.crcs = new long[entries.size()];
    long at = 0;
    long directory = 0;
    for (int i = 0; i < entries.size(); i++) {
      byte[] name = entries.get(i).name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      offsets[i] = at;
      at += LOCAL_HEADER + name.length + entries.get(i).size() + DATA_DESCRIPTOR;
      directory += CENTRAL_HEADER + name.length;
    }
    this.directoryOffset = at;
    this.length = at + directory + END_OF_DIRECTORY;
  }

  /** True when the archive fits plain zip's 32-bit sizes and 16-bit counts. */
  boolean fits() {
    return entries.size() <= MAX_ENTRIES && length <= MAX_BYTES && names.stream().allMatch(name -> name.length <= 0xFFFF);
  }

  long length() {
    return length;
  }

  int size() {
    return entries.size();
  }

  Entry entry(int i) {
    return entries.get(i);
  }

  Buffer localHeader(int i) {
    byte[] name = names.get(i);
    Buffer b = Buffer.buffer(LOCAL_HEADER + name.length)
        .appendIntLE(0x04034b50).appendShortLE((short) VERSION).appendShortLE((short) FLAGS).appendShortLE((short) 0);
    appendDosTime(b, entries.get(i).modified());
    // CRC and sizes are zero here and given in the data descriptor (APPNOTE 4.4.4).
    return b.appendIntLE(0).appendIntLE(0).appendIntLE(0)
        .appendShortLE((short) name.length).appendShortLE((short) 0).appendBytes(name);
  }

  /** Follows entry {@code i}'s bytes; remembers its CRC for the central directory. */
  Buffer dataDescriptor(int i, long crc) {
    crcs[i] = crc;
    int size = (int) entries.get(i).size();
    return Buffer.buffer(DATA_DESCRIPTOR).appendIntLE(0x08074b50).appendIntLE((int) crc).appendIntLE(size).appendIntLE(size);
  }

  /** The central directory and its end record: the archive's last bytes, once every entry went out. */
  Buffer directory() {
    Buffer b = Buffer.buffer((int) (length - directoryOffset));
    for (int i = 0; i < entries.size(); i++) {
      byte[] name = names.get(i);
      int size = (int) entries.get(i).size();
      b.appendIntLE(0x02014b50).appendShortLE((short) VERSION).appendShortLE((short) VERSION)
          .appendShortLE((short) FLAGS).appendShortLE((short) 0);
      appendDosTime(b, entries.get(i).modified());
      b.appendIntLE((int) crcs[i]).appendIntLE(size).appendIntLE(size)
          .appendShortLE((short) name.length).appendShortLE((short) 0).appendShortLE((short) 0)
          .appendShortLE((short) 0).appendShortLE((short) 0).appendIntLE(0)
          .appendIntLE((int) offsets[i]).appendBytes(name);
    }
    int directorySize = b.length();
    return b.appendIntLE(0x06054b50).appendShortLE((short) 0).appendShortLE((short) 0)
        .appendShortLE((short) entries.size()).appendShortLE((short) entries.size())
        .appendIntLE(directorySize).appendIntLE((int) directoryOffset).appendShortLE((short) 0);
  }

  /** MS-DOS time and date, in UTC; the format starts in 1980. */
  private static void appendDosTime(Buffer b, Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    if (t.getYear() < 1980) {
      t = LocalDateTime.of(1980, 1, 1, 0, 0);
    }
    b.appendShortLE((short) (t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2));
    b.appendShortLE((short) ((t.getYear() - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth()));
  }
}
