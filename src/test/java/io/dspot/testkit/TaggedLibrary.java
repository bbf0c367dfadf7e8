package io.dspot.testkit;

import java.nio.file.Path;

/**
 * A library to browse, of {@link #SONGS} short tagged WAVs ({@link TaggedSongs#wav}) (more than one page of 50): song i is on
 * album "Album (i % 6)" by "Artist ((i % 6) % 3)", from year 1990 + i % 12, titled
 * "Track NN" with NN = (i * 37) % 60 so that title order differs from upload order; albums 0 and
 * 1 are Jazz (spelt "Jazz" and "jazz"), 2 and 3 Rock, 4 Ambient, 5 Blues.
 */
public final class TaggedLibrary {

  public static final int SONGS = 60;
  private static final String[] GENRE_OF_ALBUM = {"Jazz", "jazz", "Rock", "Rock", "Ambient", "Blues"};

  private TaggedLibrary() {}

  public static TaggedSongs.Tags song(int i) {
    int album = i % 6;
    return new TaggedSongs.Tags(String.format("Track %02d", (i * 37) % SONGS), "Artist " + album % 3, "Album " + album,
        i / 6 + 1, 1990 + i % 12, GENRE_OF_ALBUM[album], null);
  }

  /** Uploads every song, written into {@code dir} first. */
  public static void upload(ApiClient admin, Path dir) {
    for (int i = 0; i < SONGS; i++) {
      admin.uploadSong(TaggedSongs.wav(dir.resolve("song-" + i + ".wav"), song(i), i));
    }
  }
}
