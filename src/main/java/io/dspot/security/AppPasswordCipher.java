package io.dspot.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals Subsonic app passwords with AES-256-GCM. The key is derived (HKDF-SHA256, RFC 5869) from
 * the cluster secret every member already holds, so every node can open what another sealed, and
 * a copy of the database (a backup, a stolen disk) without the secret file yields no password.
 * The user's id is the associated data: a sealed value copied onto another user's row does not open.
 */
final class AppPasswordCipher {

  private static final byte[] SALT = "dspot app passwords".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO = "dspot subsonic app password v1".getBytes(StandardCharsets.US_ASCII);
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  AppPasswordCipher(String clusterSecret) {
    if (clusterSecret == null || clusterSecret.isEmpty()) {
      throw new IllegalArgumentException("the cluster secret is required to seal app passwords");
    }
    this.key = new SecretKeySpec(hkdf(clusterSecret.getBytes(StandardCharsets.UTF_8)), "AES");
  }

  /** Base64 of IV followed by ciphertext and tag. */
  String seal(String password, UUID userId) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(bytes(userId));
      byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java platform", e);
    }
  }

  /** The password, or null when the value was not sealed by this cluster's key for this user. */
  String open(String sealed, UUID userId) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      if (all.length <= IV_BYTES) {
        return null;
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
      cipher.updateAAD(bytes(userId));
      return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] bytes(UUID id) {
    return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
  }

  /** HKDF with one expand block: 32 bytes, exactly an AES-256 key. */
  private static byte[] hkdf(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
      byte[] prk = mac.doFinal(secret);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(INFO);
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }
}
