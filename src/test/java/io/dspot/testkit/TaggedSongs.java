package io.dspot.testkit;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.images.Artwork;
import org.jaudiotagger.tag.images.ArtworkFactory;

/**
 * Audio files carrying the tags and cover a test asks for, written with jaudiotagger (the library
 * the node reads tags with): the tone.mp3 fixture or a {@link TestAudio} WAV, tagged again, so
 * every file has its own bytes, album, genre, year and cover colour.
 */
public final class TaggedSongs {

  /** Tags of one song; {@code genre} and {@code cover} may be null, {@code year} and {@code track} 0 for none. */
  public record Tags(String title, String artist, String album, int track, int year, String genre, Color cover) {}

  private TaggedSongs() {}

  /** The tone.mp3 fixture at {@code target}, tagged, its cover one flat colour (what a page drawn in it must stay readable on). */
  public static Path mp3(Path target, Tags tags) {
    return mp3(target, tags, TaggedSongs::flatCover);
  }

  /** As {@link #mp3(Path, Tags)}, the cover painted by {@code painter}. */
  public static Path mp3(Path target, Tags tags, Function<Color, byte[]> painter) {
    try {
      Files.copy(ApiClient.fixture("tone.mp3"), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy tone.mp3 to " + target, e);
    }
    return tag(target, tags, painter);
  }

  /** A short {@link TestAudio} WAV at {@code target} (its samples from {@code seed}), tagged; no cover. */
  public static Path wav(Path target, Tags tags, long seed) {
    TestAudio.wav(target, 4_000 + (int) (seed % 1_000), seed);
    return tag(target, tags, TaggedSongs::flatCover);
  }

  private static Path tag(Path file, Tags tags, Function<Color, byte[]> painter) {
    try {
      AudioFile audio = AudioFileIO.read(file.toFile());
      Tag tag = audio.getTagOrCreateAndSetDefault();
      tag.setField(FieldKey.TITLE, tags.title());
      tag.setField(FieldKey.ARTIST, tags.artist());
      tag.setField(FieldKey.ALBUM_ARTIST, tags.artist()); // tone.mp3 carries one of its own
      tag.setField(FieldKey.ALBUM, tags.album());
      if (tags.track() > 0) {
        tag.setField(FieldKey.TRACK, Integer.toString(tags.track()));
      }
      if (tags.year() > 0) {
        tag.setField(FieldKey.YEAR, Integer.toString(tags.year()));
      }
      if (tags.genre() != null) {
        tag.setField(FieldKey.GENRE, tags.genre());
      }
      if (tags.cover() != null) {
        tag.deleteArtworkField();
        Artwork art = ArtworkFactory.getNew();
        art.setBinaryData(painter.apply(tags.cover()));
        art.setMimeType("image/png");
        art.setPictureType(3); // front cover
        tag.setField(art);
      }
      audio.commit();
      return file;
    } catch (Exception e) {
      throw new IllegalStateException("cannot tag " + file, e);
    }
  }

  public static byte[] flatCover(Color colour) {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    return png(img);
  }

  /** 300×300, darker towards a corner, with a ring: covers that look like covers, for docs/. */
  public static byte[] ringCover(Color base) {
    BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, base, 300, 300, base.darker()));
    g.fillRect(0, 0, 300, 300);
    g.setColor(new Color(255, 255, 255, 70));
    g.fillOval(60, 60, 180, 180);
    g.setColor(base);
    g.fillOval(120, 120, 60, 60);
    g.dispose();
    return png(img);
  }

  private static byte[] png(BufferedImage img) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
