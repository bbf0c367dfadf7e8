package io.dspot.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Checks on key material that both the cluster identity and the edge certificate need. */
public final class Keys {

  private Keys() {}

  /** Signs with the key and verifies with the certificate: true only if they are one pair. */
  public static boolean belongTogether(PrivateKey privateKey, X509Certificate certificate) {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      default -> privateKey.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] probe = "dspot".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
