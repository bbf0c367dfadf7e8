package io.dspot.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cluster secret: 256 random bits, base64url, one line in a 0600 file. It becomes the
 * Hazelcast cluster name, so a member must know it to join (Hazelcast's open-source edition has no
 * other member authentication; it travels in the clear inside the internal network).
 */
public final class ClusterSecret {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterSecret() {}

  public static void create(Path file) {
    byte[] bits = new byte[32];
    RANDOM.nextBytes(bits);
    Pem.write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bits) + "\n", true);
  }
}
