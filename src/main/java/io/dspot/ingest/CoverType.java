package io.dspot.ingest;

/** The image type of embedded cover art, from its bytes; covers in any other format are dropped. */
final class CoverType {
  private CoverType() {}

  static String of(byte[] b) {
    if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
      return "image/jpeg";
    }
    if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
      return "image/webp";
    }
    return null;
  }
}
