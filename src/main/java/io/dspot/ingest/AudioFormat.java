package io.dspot.ingest;

import java.nio.charset.StandardCharsets;

/** The audio containers the node accepts, recognised by their first bytes, never by the file name. */
enum AudioFormat {
  MP3("mp3", "audio/mpeg"),
  FLAC("flac", "audio/flac"),
  OGG_VORBIS("ogg", "audio/ogg"),
  OGG_OPUS("opus", "audio/ogg; codecs=opus"),
  M4A("m4a", "audio/mp4"),
  WAV("wav", "audio/wav");

  /** How many leading bytes {@link #sniff} wants to see. */
  public static final int SNIFF_BYTES = 64;

  public final String extension;
  public final String contentType;

  AudioFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** Returns null when the bytes are not the start of a supported audio file. */
  public static AudioFormat sniff(byte[] head, int length) {
    if (startsWith(head, length, 0, "ID3")) {
      return MP3;
    }
    if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0) {
      return MP3; // MPEG audio frame sync with a valid layer
    }
    if (startsWith(head, length, 0, "fLaC")) {
      return FLAC;
    }
    if (startsWith(head, length, 0, "OggS")) {
      return contains(head, length, "OpusHead") ? OGG_OPUS : contains(head, length, "vorbis") ? OGG_VORBIS : null;
    }
    if (startsWith(head, length, 4, "ftyp")) {
      return M4A;
    }
    if (startsWith(head, length, 0, "RIFF") && startsWith(head, length, 8, "WAVE")) {
      return WAV;
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int length, int offset, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (length < offset + m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (head[offset + i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(byte[] head, int length, String magic) {
    return new String(head, 0, length, StandardCharsets.ISO_8859_1).contains(magic);
  }
}
