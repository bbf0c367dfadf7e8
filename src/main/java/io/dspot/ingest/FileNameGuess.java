package io.dspot.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Title, artist and track guessed from names like "07 - Artist - Title.mp3", for untagged files. */
record FileNameGuess(String artist, String title, Integer track) {

  private static final Pattern TRACK = Pattern.compile("^(\\d{1,3})[\\s._-]+(.*)$");

  static FileNameGuess from(String fileName) {
    if (fileName == null) {
      return new FileNameGuess(null, null, null);
    }
    String base = fileName.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    base = base.replace('_', ' ').strip();
    Integer track = null;
    Matcher m = TRACK.matcher(base);
    if (m.matches() && !m.group(2).isBlank()) {
      track = Integer.parseInt(m.group(1));
      base = m.group(2).strip();
    }
    int sep = base.indexOf(" - ");
    if (sep > 0) {
      return new FileNameGuess(base.substring(0, sep).strip(), base.substring(sep + 3).strip(), track);
    }
    return new FileNameGuess(null, base.isEmpty() ? null : base, track);
  }
}
