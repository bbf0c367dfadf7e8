package io.dspot.testkit;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.images.Artwork;
import org.jaudiotagger.tag.images.ArtworkFactory;

/**
 * Real MP3s with the tags and cover art a test asks for: one of the demo library's tracks, copied
 * and tagged again with jaudiotagger (the library the node reads tags with), so every file has
 * distinct bytes and its own album, genre, year and cover colour.
 */
public final class TaggedSongs {

  /** Tags of one song; {@code cover} null for none. */
  public record Tags(String title, String artist, String album, int track, int year, String genre, Color cover) {}

  private static final String SOURCE = "/demo/01-first-light.mp3";

  private TaggedSongs() {}

  public static Path mp3(Path dir, Tags tags) throws Exception {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "tagged-", ".mp3");
    try (InputStream in = TaggedSongs.class.getResourceAsStream(SOURCE)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    AudioFile audio = AudioFileIO.read(file.toFile());
    Tag tag = audio.getTagOrCreateAndSetDefault();
    tag.setField(FieldKey.TITLE, tags.title());
    tag.setField(FieldKey.ARTIST, tags.artist());
    tag.setField(FieldKey.ALBUM_ARTIST, tags.artist());
    tag.setField(FieldKey.ALBUM, tags.album());
    tag.setField(FieldKey.TRACK, Integer.toString(tags.track()));
    tag.setField(FieldKey.YEAR, Integer.toString(tags.year()));
    tag.setField(FieldKey.GENRE, tags.genre());
    tag.deleteArtworkField();
    if (tags.cover() != null) {
      Artwork art = ArtworkFactory.getNew();
      art.setBinaryData(cover(tags.cover()));
      art.setMimeType("image/png");
      art.setPictureType(3); // front cover
      tag.setField(art);
    }
    audio.commit();
    return file;
  }

  /** A 300×300 cover in one colour, lighter towards a corner, with a ring: enough to tell albums apart. */
  public static byte[] cover(Color base) throws IOException {
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
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    return png.toByteArray();
  }
}
