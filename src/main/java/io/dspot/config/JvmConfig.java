package io.dspot.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Section {@code jvm}: how big the node's own JVM is. Read before anything else, by the process
 * that decides whether to start the node in a JVM of that size (see {@code node.SmallJvm}), so it
 * reads the one key itself instead of the whole config (which builds a small Vert.x). It reads it
 * with Jackson's streaming parser, not Vert.x's {@code JsonObject}: that one sets up Vert.x's logging,
 * which starts logback and its XML parser (~650 classes, ~5 MB of a launcher JVM that only waits).
 * {@code heapMegabytes} 0 means: keep the JVM as it was started.
 */
public record JvmConfig(int heapMegabytes) {

  public static final String HEAP_KEY = "heapMegabytes";
  public static final int DEFAULT_HEAP_MEGABYTES = 128;
  static final int MIN_HEAP_MEGABYTES = 64;
  static final int MAX_HEAP_MEGABYTES = 65_536;

  public boolean keepAsStarted() {
    return heapMegabytes == 0;
  }

  /** The file's {@code jvm} section, overridden by {@code DSPOT_JVM_HEAP_MEGABYTES}; a file that cannot be read is the full loader's to report. */
  public static JvmConfig read(Path file, Map<String, String> env) {
    Object value = heapIn(file);
    String fromEnv = env.get(ConfigLoader.envName("jvm", HEAP_KEY));
    if (fromEnv != null) {
      value = fromEnv.trim();
    }
    if (value == null) {
      return new JvmConfig(DEFAULT_HEAP_MEGABYTES);
    }
    int heap;
    try {
      heap = Integer.parseInt(value.toString());
    } catch (NumberFormatException e) {
      throw new ConfigException("jvm." + HEAP_KEY, "must be a whole number of megabytes, got '" + value + "'");
    }
    if (heap != 0 && (heap < MIN_HEAP_MEGABYTES || heap > MAX_HEAP_MEGABYTES)) {
      throw new ConfigException("jvm." + HEAP_KEY, "must be 0 (keep the JVM as started) or between " + MIN_HEAP_MEGABYTES
          + " and " + MAX_HEAP_MEGABYTES + ", got " + heap);
    }
    return new JvmConfig(heap);
  }

  /** The value of {@code jvm.heapMegabytes} as written (its text), or null when absent or the file is not JSON. */
  private static String heapIn(Path file) {
    try (JsonParser parser = new JsonFactory().createParser(Files.readAllBytes(file))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String value = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean jvm = parser.currentName().equals("jvm");
        JsonToken next = parser.nextToken();
        if (jvm) {
          value = next == JsonToken.START_OBJECT ? heapInSection(parser) : null; // a repeated key: the last one counts
        } else {
          parser.skipChildren();
        }
      }
      return value;
    } catch (IOException e) {
      return null; // Reported with the right words by ConfigLoader in the node itself.
    }
  }

  private static String heapInSection(JsonParser parser) throws IOException {
    String value = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean heap = parser.currentName().equals(HEAP_KEY);
      JsonToken next = parser.nextToken();
      if (heap) {
        value = next == JsonToken.VALUE_NULL ? null : next.isScalarValue() ? parser.getText() : next.asString() + "...";
      }
      parser.skipChildren();
    }
    return value;
  }
}
