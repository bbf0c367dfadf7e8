package io.dspot.ingest;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import org.jaudiotagger.logging.ErrorMessage;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagNotFoundException;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.ID3v11Tag;
import org.jaudiotagger.tag.id3.ID3v1Tag;

/**
 * An MP3 file as jaudiotagger reads it for {@link org.jaudiotagger.audio.AudioFileIO#read}, minus
 * two things we never use: the ID3v2.4 copy {@code MP3File} makes of every v2.2/v2.3 tag (for
 * writing; {@link #getTag} is the tag as read either way), and the ID3v1 tag at the end of the file
 * when an ID3v2 tag was found ({@code MP3File} reads it, then ignores it). Both were about a quarter of
 * the tag reading's CPU in a folder import, and the v2.4 copy's date and number formatting a share of
 * the JIT's work (bench/import.md, round 5). Same audio header, same tag, same exceptions otherwise.
 */
final class Mp3Tags extends MP3File {

  /** What {@link ErrorMessage#ID_TAG_SIZE} says instead: nothing to format. */
  static final String TAG_SIZE_MESSAGE = "ID3v2.3 tag size read";

  static {
    // ID3v23Tag.read builds this log message for every v2.3 tag, logged or not (AudioProbe turns
    // jaudiotagger's logging off): a MessageFormat with a number argument, so a new DecimalFormat
    // each time, 2-2.5 % of a folder import's CPU plus its JIT compiling (bench/import.md, round 5).
    // The message is used for that log line only. With another jaudiotagger whose field differs,
    // the message is formatted again: slower, not wrong (AudioProbeTest notices).
    try {
      Field text = ErrorMessage.class.getDeclaredField("msg");
      text.setAccessible(true);
      text.set(ErrorMessage.ID_TAG_SIZE, TAG_SIZE_MESSAGE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // left as it is
    }
  }

  /** Set by {@code MP3File}'s constructor through {@link #setID3v2Tag}: no initializer, so it keeps what the constructor stored. */
  private AbstractID3v2Tag v2;
  private Tag v1;

  private Mp3Tags(File file) throws Exception {
    super(file, MP3File.LOAD_IDV2TAG, true);
  }

  /** Reads the audio header and the tag: the ID3v2 tag, else the ID3v1 (v1.1 first), else none. */
  static Mp3Tags read(File file) throws Exception {
    Mp3Tags mp3 = new Mp3Tags(file);
    if (mp3.v2 == null) {
      mp3.v1 = readV1(file);
    }
    return mp3;
  }

  @Override
  public void setID3v2Tag(AbstractID3v2Tag tag) {
    this.v2 = tag; // MP3File would also convert it to a v2.4 copy here
  }

  @Override
  public AbstractID3v2Tag getID3v2Tag() {
    return v2;
  }

  @Override
  public Tag getTag() {
    return v2 != null ? v2 : v1;
  }

  /** As {@code MP3File.readV1Tag}: a v1.1 tag (with a track number), else a v1 tag, else none. */
  private static Tag readV1(File file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file, "r")) {
      try {
        return new ID3v11Tag(in, file.getName());
      } catch (TagNotFoundException notV11) {
        try {
          return new ID3v1Tag(in, file.getName());
        } catch (TagNotFoundException none) {
          return null;
        }
      }
    }
  }
}
