package io.dspot.testkit;

import java.nio.file.Path;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;

/**
 * A short {@link TestAudio} WAV carrying the tags a library is browsed by, written with the same
 * library (jaudiotagger) the node reads them with.
 */
public record TaggedWav(String title, String artist, String album, int year, String genre, int track) {

  /** Writes the file; {@code seed} makes its samples, so two songs never have the same bytes. */
  public Path write(Path target, long seed) {
    TestAudio.wav(target, 4_000 + (int) (seed % 1_000), seed);
    try {
      AudioFile file = AudioFileIO.read(target.toFile());
      Tag tag = file.getTagOrCreateAndSetDefault();
      tag.setField(FieldKey.TITLE, title);
      tag.setField(FieldKey.ARTIST, artist);
      tag.setField(FieldKey.ALBUM, album);
      tag.setField(FieldKey.YEAR, Integer.toString(year));
      tag.setField(FieldKey.GENRE, genre);
      tag.setField(FieldKey.TRACK, Integer.toString(track));
      file.commit();
      return target;
    } catch (Exception e) {
      throw new IllegalStateException("cannot tag " + target, e);
    }
  }
}
