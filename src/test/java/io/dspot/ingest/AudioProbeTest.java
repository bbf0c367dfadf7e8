package io.dspot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.catalog.SongTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioProbeTest {

  @TempDir Path dir;

  static Path fixture(String name) throws Exception {
    return Path.of(AudioProbeTest.class.getResource("/audio/" + name).toURI());
  }

  private ProbedSong probe(Path source, String name) throws Exception {
    AudioFormat format = AudioProbe.sniff(source, name);
    Path named = dir.resolve("probe." + format.extension);
    Files.copy(source, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return AudioProbe.read(named, format, name);
  }

  @ParameterizedTest
  @CsvSource({
    "tone.mp3, Sine A440, Fixture Band, Fixture Album, audio/mpeg",
    "tone.flac, Flac C523, Fixture Band, Lossless Album, audio/flac",
    "tone.ogg, Vorbis D587, Fixture Band, Ogg Album, audio/ogg",
    "tone.opus, Opus E659, Other Artist, Opus Album, audio/ogg; codecs=opus",
    "tone.m4a, Aac F698, Other Artist, Aac Album, audio/mp4",
    "tone.wav, tone, Unknown Artist, Unknown Album, audio/wav",
  })
  void everyAcceptedFormatYieldsTagsAndDuration(String file, String title, String artist, String album, String type) throws Exception {
    SongTags tags = probe(fixture(file), file).tags();
    assertThat(tags.title()).isEqualTo(title);
    assertThat(tags.artist()).isEqualTo(artist);
    assertThat(tags.album()).isEqualTo(album);
    assertThat(tags.contentType()).isEqualTo(type);
    assertThat(tags.durationMs()).isBetween(1_500L, 4_500L);
  }

  @ParameterizedTest
  @CsvSource({"tone.mp3", "tone.flac", "tone.ogg", "tone.opus", "tone.m4a", "tone.wav"})
  void fileCutInHalfIsRejectedAsTruncated(String file) throws Exception {
    byte[] whole = Files.readAllBytes(fixture(file));
    Path cut = dir.resolve("cut-" + file);
    Files.write(cut, Arrays.copyOf(whole, file.endsWith("flac") ? 60 : whole.length / 2));
    assertThatThrownBy(() -> probe(cut, file))
        .isInstanceOfSatisfying(IngestException.class, e -> {
          assertThat(e.status).isEqualTo(400);
          assertThat(e.file).isEqualTo(file);
        });
  }

  @org.junit.jupiter.api.Test
  void mp3CoverArtAndNumbersAreRead() throws Exception {
    ProbedSong probed = probe(fixture("tone.mp3"), "tone.mp3");
    assertThat(probed.tags().track()).isEqualTo(3);
    assertThat(probed.tags().year()).isEqualTo(2024);
    assertThat(probed.coverType()).isEqualTo("image/jpeg");
    assertThat(probed.cover()).isNotEmpty();
    assertThat(probed.tags().bitrateKbps()).isEqualTo(128);
  }

  /** MP3s are read by {@link Mp3Tags}, which reads the ID3v1 tag only when there is no ID3v2 tag. */
  @org.junit.jupiter.api.Test
  void mp3WithOnlyAnId3v1TagIsReadFromIt() throws Exception {
    byte[] tagged = Files.readAllBytes(fixture("tone.mp3"));
    Path v1Only = dir.resolve("v1.mp3");
    Files.write(v1Only, concat(Arrays.copyOfRange(tagged, id3v2Length(tagged), tagged.length), id3v11("Old Title", "Old Artist", "Old Album", "1999", 7)));
    SongTags tags = probe(v1Only, "v1.mp3").tags();
    assertThat(tags.title()).isEqualTo("Old Title");
    assertThat(tags.artist()).isEqualTo("Old Artist");
    assertThat(tags.album()).isEqualTo("Old Album");
    assertThat(tags.track()).isEqualTo(7);
    assertThat(tags.year()).isEqualTo(1999);
    assertThat(tags.durationMs()).isBetween(3_500L, 4_500L);
  }

  @org.junit.jupiter.api.Test
  void mp3WithBothTagsIsReadFromItsId3v2Tag() throws Exception {
    Path both = dir.resolve("both.mp3");
    Files.write(both, concat(Files.readAllBytes(fixture("tone.mp3")), id3v11("Old Title", "Old Artist", "Old Album", "1999", 7)));
    ProbedSong probed = probe(both, "both.mp3");
    assertThat(probed.tags().title()).isEqualTo("Sine A440");
    assertThat(probed.tags().track()).isEqualTo(3);
    assertThat(probed.cover()).isNotEmpty();
  }

  /** The log message jaudiotagger formats for every ID3v2.3 tag is a constant once Mp3Tags is loaded (a jaudiotagger upgrade may undo it). */
  @org.junit.jupiter.api.Test
  void jaudiotaggersTagSizeMessageNeedsNoFormatting() throws Exception {
    probe(fixture("tone.mp3"), "tone.mp3");
    assertThat(org.jaudiotagger.logging.ErrorMessage.ID_TAG_SIZE.getMsg()).isEqualTo(Mp3Tags.TAG_SIZE_MESSAGE);
  }

  /** Header and body of the file's ID3v2 tag: its size is a syncsafe integer (7 bits a byte) after 6 header bytes. */
  private static int id3v2Length(byte[] file) {
    assertThat(new String(file, 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("ID3");
    return 10 + ((file[6] & 0x7f) << 21 | (file[7] & 0x7f) << 14 | (file[8] & 0x7f) << 7 | (file[9] & 0x7f));
  }

  /** A 128-byte ID3v1.1 tag (a track number in the comment's last byte), genre 17 (Rock). */
  private static byte[] id3v11(String title, String artist, String album, String year, int track) {
    byte[] tag = new byte[128];
    put(tag, 0, "TAG", 3);
    put(tag, 3, title, 30);
    put(tag, 33, artist, 30);
    put(tag, 63, album, 30);
    put(tag, 93, year, 4);
    tag[126] = (byte) track;
    tag[127] = 17;
    return tag;
  }

  private static void put(byte[] into, int at, String text, int length) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    System.arraycopy(bytes, 0, into, at, Math.min(bytes.length, length));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @org.junit.jupiter.api.Test
  void textRenamedToMp3IsUnsupportedMediaType() throws Exception {
    Path fake = dir.resolve("song.mp3");
    Files.writeString(fake, "this is not music at all, just text pretending to be an mp3\n".repeat(50));
    assertThatThrownBy(() -> AudioProbe.sniff(fake, "song.mp3"))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status).isEqualTo(415));
  }

  @org.junit.jupiter.api.Test
  void controlCharactersAreStrippedButMarkupIsKeptAsText() {
    assertThat(TagText.clean("  <img src=x>\u0000\u0007Title\n ")).isEqualTo("<img src=x>Title");
  }

  @org.junit.jupiter.api.Test
  void fileNameFallbackSplitsTrackArtistAndTitle() {
    assertThat(FileNameGuess.from("dir/07 - Some Artist - Great_Song.flac"))
        .isEqualTo(new FileNameGuess("Some Artist", "Great Song", 7));
  }
}
