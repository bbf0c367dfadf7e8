package io.dspot.testkit;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
 * The tone.mp3 fixture re-tagged as another song of another album, its embedded cover a picture
 * of one flat colour: what a page drawn in the cover's colour must stay readable on.
 */
public final class CoveredMp3 {

  private CoveredMp3() {}

  public static Path write(Path target, String title, String artist, String album, int year, Color cover) throws Exception {
    Files.copy(ApiClient.fixture("tone.mp3"), target, StandardCopyOption.REPLACE_EXISTING);
    AudioFile file = AudioFileIO.read(target.toFile());
    Tag tag = file.getTagOrCreateAndSetDefault();
    tag.setField(FieldKey.TITLE, title);
    tag.setField(FieldKey.ARTIST, artist);
    tag.setField(FieldKey.ALBUM_ARTIST, artist);
    tag.setField(FieldKey.ALBUM, album);
    tag.setField(FieldKey.YEAR, String.valueOf(year));
    tag.deleteArtworkField();
    Artwork art = ArtworkFactory.getNew();
    art.setBinaryData(png(cover));
    art.setMimeType("image/png");
    art.setPictureType(3); // front cover
    tag.setField(art);
    file.commit();
    return target;
  }

  private static byte[] png(Color colour) throws Exception {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
