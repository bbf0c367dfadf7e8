package io.dspot.web;

import io.dspot.pki.Pem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate a node serves HTTPS with when the operator configured none: self-signed, for
 * localhost, 127.0.0.1, ::1 and the configured host. Browsers warn about it until it is trusted
 * (or replaced); its fingerprint in the log is what to compare the warning's certificate with.
 */
final class SelfSignedCertificate {

  /** Long enough not to expire under a home server; a new one is made when it has. */
  static final Duration VALIDITY = Duration.ofDays(3 * 365);

  private SelfSignedCertificate() {}

  /** Writes a new key pair and certificate to {@code certFile} and {@code keyFile} (0600, written before it is visible). */
  static void generate(Path certFile, Path keyFile, String configuredHost) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      // P-256: every browser, curl and nginx speaks it, and its handshakes are cheaper than RSA's.
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=dspot self-signed");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
          subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(configuredHost).toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      Files.createDirectories(keyFile.getParent());
      Pem.writePrivateKey(keyFile, pair.getPrivate());
      Pem.writeCertificate(certFile, certificate);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the self-signed certificate to " + certFile.getParent(), e);
    }
  }

  private static List<GeneralName> names(String configuredHost) {
    Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    String host = configuredHost.startsWith("[") ? configuredHost.substring(1, configuredHost.length() - 1) : configuredHost;
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isBlank()) {
      hosts.add(host);
    }
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      boolean ip = h.matches("[0-9.]+") || h.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
    }
    return names;
  }
}
