package io.dspot.config;

/** A configuration value that cannot be used; the message always names the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("config key '" + key + "': " + problem);
  }
}
