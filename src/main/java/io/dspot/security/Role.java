package io.dspot.security;

/** Admins upload, delete and manage users; listeners browse, stream and keep their own playlists. */
enum Role {
  ADMIN, LISTENER;

  public String wire() {
    return name().toLowerCase();
  }

  public static Role parse(String value) {
    if ("admin".equals(value)) {
      return ADMIN;
    }
    if ("listener".equals(value)) {
      return LISTENER;
    }
    return null;
  }
}
