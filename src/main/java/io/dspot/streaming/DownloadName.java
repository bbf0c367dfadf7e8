package io.dspot.streaming;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * File names for downloads, made from tag text anyone could have written: no control character
 * (a CR LF would split the header), no path separator (a zip entry must not climb out of its
 * folder), nothing a file system refuses, and a Content-Disposition per RFC 6266 with an ASCII
 * {@code filename} and the exact UTF-8 name in {@code filename*} (RFC 8187).
 */
final class DownloadName {

  private static final int MAX_CHARS = 120;
  private static final Map<String, String> EXTENSIONS = Map.of(
      "audio/mpeg", "mp3", "audio/flac", "flac", "audio/ogg", "ogg", "audio/mp4", "m4a", "audio/wav", "wav");

  private DownloadName() {}

  /** One path segment: safe on every common file system; {@code fallback} when nothing is left. */
  static String segment(String text, String fallback) {
    StringBuilder out = new StringBuilder();
    (text == null ? "" : text).codePoints().forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == 0x2028 || c == 0x2029) {
        out.append(' ');
      } else if ("/\\:*?\"<>|".indexOf(c) >= 0) {
        out.append('_');
      } else {
        out.appendCodePoint(c);
      }
    });
    String name = out.toString().replaceAll("\\s+", " ").strip();
    // Leading dots hide the file or make "..", trailing dots and spaces are dropped by Windows.
    name = name.replaceAll("^[. ]+", "").replaceAll("[. ]+$", "");
    if (name.codePointCount(0, name.length()) > MAX_CHARS) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_CHARS)).strip();
    }
    return name.isEmpty() ? fallback : name;
  }

  /** "Artist - Title.ext" for one song. */
  static String song(String artist, String title, String contentType) {
    return segment(segment(artist, "Unknown artist") + " - " + segment(title, "Untitled"), "song") + "." + extension(contentType);
  }

  static String extension(String contentType) {
    String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return EXTENSIONS.getOrDefault(type, "bin");
  }

  /** {@code attachment} with both names; {@code name} must come from {@link #segment} or {@link #song}. */
  static String attachment(String name) {
    StringBuilder ascii = new StringBuilder();
    name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncoded(name);
  }

  /** RFC 8187 attr-chars stay, every other byte of the UTF-8 form is %XX. */
  private static String percentEncoded(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
