package io.dspot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Audio made up for tests: a valid PCM WAV (mono, 8 kHz, 16-bit) of an exact size, seeded random samples. */
public final class TestAudio {

  public static final int WAV_HEADER_BYTES = 44;

  private TestAudio() {}

  public static byte[] wav(int size, long seed) {
    int data = size - WAV_HEADER_BYTES;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(size - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
    byte[] samples = new byte[data];
    new Random(seed).nextBytes(samples);
    return b.put(samples).array();
  }

  public static Path wav(Path target, int size, long seed) {
    try {
      return Files.write(target, wav(size, seed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
