package io.dspot.streaming;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Album covers scaled down for music apps ({@code getCoverArt?size=N}): made once per (cover hash,
 * size) with ImageIO, kept as JPEG under the node's cache directory (derived data: deleting it
 * only costs the work again). Blocking: call from a worker thread.
 */
final class ResizedCovers {

  /** Larger requests get the original: nothing to gain, and it bounds the cache. */
  static final int MAX_SIZE = 2048;

  private final Path dir;

  ResizedCovers(Path dir) {
    this.dir = dir;
  }

  /**
   * The cover no larger than {@code size} on its longer side, keeping its proportions; the
   * original itself when it is that small already. Null when the original is not an image ImageIO reads.
   */
  Path scaled(Path original, String sha256, int size) throws IOException {
    Path cached = dir.resolve(sha256 + "-" + size + ".jpg");
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    BufferedImage source = ImageIO.read(original.toFile());
    if (source == null) {
      return null;
    }
    int longer = Math.max(source.getWidth(), source.getHeight());
    if (longer <= size) {
      return original;
    }
    int width = Math.max(1, Math.round(source.getWidth() * (float) size / longer));
    int height = Math.max(1, Math.round(source.getHeight() * (float) size / longer));
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    Files.createDirectories(dir);
    // Written aside and moved in, so a concurrent request never reads half a picture.
    Path part = Files.createTempFile(dir, sha256 + "-" + size, ".part");
    try {
      if (!ImageIO.write(scaled, "jpg", part.toFile())) {
        throw new UncheckedIOException(new IOException("no JPEG writer"));
      }
      Files.move(part, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
    return cached;
  }
}
