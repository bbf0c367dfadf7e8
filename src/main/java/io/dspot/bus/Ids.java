package io.dspot.bus;

import java.util.UUID;

/** GUID ids as they arrive from clients: anything that is not a canonical UUID is a 400, not a 500. */
public final class Ids {
  private Ids() {}

  public static UUID parse(String value, String what) {
    if (value == null || value.length() != 36) {
      throw ServiceException.badRequest("malformed " + what + " id: " + shorten(value));
    }
    try {
      UUID id = UUID.fromString(value);
      if (!id.toString().equalsIgnoreCase(value)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ServiceException.badRequest("malformed " + what + " id: " + shorten(value));
    }
  }

  private static String shorten(String value) {
    if (value == null) {
      return "(none)";
    }
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
