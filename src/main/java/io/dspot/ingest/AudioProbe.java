package io.dspot.ingest;

import io.dspot.catalog.SongTags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.AudioHeader;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.images.Artwork;

/**
 * Decides whether a file is a complete audio file we accept and reads its tags with jaudiotagger.
 * Blocking: runs on a worker thread.
 */
final class AudioProbe {

  static {
    // jaudiotagger logs every odd frame at INFO/WARNING through java.util.logging.
    Logger.getLogger("org.jaudiotagger").setLevel(Level.OFF);
  }

  private static final int MAX_COVER_BYTES = 8 * 1024 * 1024;

  private AudioProbe() {}

  /** Sniffs the container from the file's first bytes; 415 if it is not audio we take. */
  static AudioFormat sniff(Path file, String name) {
    byte[] head = new byte[AudioFormat.SNIFF_BYTES];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new IngestException(400, name, "cannot read the file: " + e.getMessage());
    }
    if (n == 0) {
      throw new IngestException(400, name, "the file is empty");
    }
    AudioFormat format = AudioFormat.sniff(head, n);
    if (format == null) {
      throw new IngestException(415, name, "not a supported audio file (MP3, FLAC, OGG/Opus, M4A/AAC or WAV expected)");
    }
    return format;
  }

  /**
   * Reads tags and audio properties. {@code file} must carry the format's extension, because
   * jaudiotagger picks its reader by extension.
   */
  static ProbedSong read(Path file, AudioFormat format, String originalName) {
    TruncationCheck.verify(file, format, originalName);
    if (format == AudioFormat.OGG_OPUS) {
      return readOpus(file, originalName);
    }
    AudioFile audio;
    try {
      // MP3s, most of a library, skip the tag copy and ID3v1 read that AudioFileIO's reader makes and we never use.
      audio = format == AudioFormat.MP3 ? Mp3Tags.read(file.toFile()) : AudioFileIO.read(file.toFile());
    } catch (Exception | LinkageError e) {
      throw new IngestException(400, originalName, "truncated or corrupt " + format.extension.toUpperCase() + " file");
    }
    AudioHeader header = audio.getAudioHeader();
    if (header == null) {
      throw new IngestException(400, originalName, "no audio stream found");
    }
    double seconds = header.getPreciseTrackLength();
    if (!(seconds > 0)) {
      throw new IngestException(400, originalName, "the file holds no audio (zero length)");
    }
    Tag tag = audio.getTag();
    FileNameGuess guess = FileNameGuess.from(originalName);
    String artist = TagText.firstOf(field(tag, FieldKey.ARTIST), field(tag, FieldKey.ALBUM_ARTIST), guess.artist(), "Unknown Artist");
    String albumArtist = TagText.firstOf(field(tag, FieldKey.ALBUM_ARTIST), null);
    byte[] cover = null;
    String coverType = null;
    if (tag != null) {
      try {
        Artwork art = tag.getFirstArtwork();
        if (art != null && art.getBinaryData() != null && art.getBinaryData().length <= MAX_COVER_BYTES) {
          coverType = CoverType.of(art.getBinaryData());
          cover = coverType == null ? null : art.getBinaryData();
        }
      } catch (RuntimeException ignored) {
        // A broken picture frame must not cost the user the song.
      }
    }
    long bitrate = header.getBitRateAsNumber();
    return new ProbedSong(new SongTags(
        TagText.firstOf(field(tag, FieldKey.TITLE), guess.title(), "Untitled"),
        artist,
        TagText.firstOf(field(tag, FieldKey.ALBUM), "Unknown Album"),
        albumArtist,
        TagText.number(field(tag, FieldKey.TRACK), guess.track()),
        TagText.number(field(tag, FieldKey.DISC_NO), null),
        TagText.year(field(tag, FieldKey.YEAR)),
        TagText.firstOf(field(tag, FieldKey.GENRE), null),
        Math.round(seconds * 1000),
        bitrate > 0 ? (int) bitrate : null,
        codecName(header, format),
        format.contentType),
        cover,
        coverType);
  }

  private static ProbedSong readOpus(Path file, String originalName) {
    OpusReader.Result opus;
    long size;
    try {
      opus = OpusReader.read(file);
      size = Files.size(file);
    } catch (IOException e) {
      throw new IngestException(400, originalName, "truncated or corrupt OPUS file: " + e.getMessage());
    }
    var c = opus.comments();
    FileNameGuess guess = FileNameGuess.from(originalName);
    return new ProbedSong(new SongTags(
        TagText.firstOf(c.get("TITLE"), guess.title(), "Untitled"),
        TagText.firstOf(c.get("ARTIST"), c.get("ALBUMARTIST"), guess.artist(), "Unknown Artist"),
        TagText.firstOf(c.get("ALBUM"), "Unknown Album"),
        TagText.firstOf(c.get("ALBUMARTIST"), null),
        TagText.number(c.get("TRACKNUMBER"), guess.track()),
        TagText.number(c.get("DISCNUMBER"), null),
        TagText.year(c.get("DATE")),
        TagText.firstOf(c.get("GENRE"), null),
        Math.round(opus.seconds() * 1000),
        (int) Math.round(size * 8 / opus.seconds() / 1000),
        "Opus",
        AudioFormat.OGG_OPUS.contentType),
        null,
        null);
  }

  private static String field(Tag tag, FieldKey key) {
    if (tag == null) {
      return null;
    }
    try {
      return TagText.clean(tag.getFirst(key));
    } catch (RuntimeException e) {
      return null; // field not supported by this tag format
    }
  }

  private static String codecName(AudioHeader header, AudioFormat format) {
    String encoding = TagText.clean(header.getEncodingType());
    return encoding != null ? encoding : format.extension;
  }
}
