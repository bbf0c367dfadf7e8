package io.dspot.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
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
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: a self-signed CA whose only job is to sign member
 * certificates. BouncyCastle builds the certificates; the JDK's own providers make the keys and
 * signatures (EC P-256: fast to generate, so tests and a first start make them in milliseconds).
 */
public final class ClusterCa {

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration MEMBER_VALIDITY = Duration.ofDays(825);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  ClusterCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A member's key and certificate, signed by this CA. */
  public record Member(PrivateKey key, X509Certificate certificate) {}

  /** A new CA named after {@code label} (for people reading certificates; trust comes from the key). */
  public static ClusterCa create(String label) {
    try {
      KeyPair keys = newKeyPair();
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "dspot").addRDN(BCStyle.CN, label + " cluster CA").build();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new ClusterCa(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a cluster CA: " + e.getMessage(), e);
    }
  }

  /** The CA as {@code certs init} wrote it: {@code ca.crt} and {@code ca.key} in {@code dir}. */
  public static ClusterCa load(Path dir) {
    CertsDir files = new CertsDir(dir);
    return new ClusterCa(Pem.readCertificates(files.caCert()).get(0), Pem.readPrivateKey(files.caKey()));
  }

  /**
   * A member certificate for {@code nodeId}: usable as TLS server and client (the event bus and
   * the internal API connect both ways), the node id as CN and DNS name, every host as an IP or
   * DNS subject alternative name.
   */
  public Member issue(String nodeId, List<String> hosts) {
    try {
      KeyPair member = newKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "dspot").addRDN(BCStyle.CN, nodeId).build();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(MEMBER_VALIDITY)), subject, member.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, alternativeNames(nodeId, hosts))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(member.getPublic()));
      return new Member(member.getPrivate(), sign(builder, key));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + nodeId + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey privateKey() {
    return key;
  }

  /** The SANs a member gets besides its node id: its internal host, and loopback for tools on the machine. */
  public static List<String> defaultHosts(String host) {
    Set<String> hosts = new LinkedHashSet<>(List.of(host, "localhost", "127.0.0.1"));
    return List.copyOf(hosts);
  }

  /** Writes {@code ca.crt} (0644) and {@code ca.key} (0600) into {@code dir}. */
  public void writeTo(Path dir) {
    CertsDir files = new CertsDir(dir).create();
    Pem.writeCertificate(files.caCert(), certificate);
    Pem.writePrivateKey(files.caKey(), key);
  }

  /** Writes {@code <nodeId>.crt} and {@code <nodeId>.key} (0600) into {@code dir}. */
  public static void write(Path dir, String nodeId, Member member) {
    CertsDir files = new CertsDir(dir).create();
    Pem.writeCertificate(files.memberCert(nodeId), member.certificate());
    Pem.writePrivateKey(files.memberKey(nodeId), member.key());
  }

  private static GeneralNames alternativeNames(String nodeId, List<String> hosts) {
    Set<String> names = new LinkedHashSet<>();
    names.add(nodeId);
    names.addAll(hosts);
    List<GeneralName> out = new ArrayList<>();
    for (String name : names) {
      out.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  static UncheckedIOException unchecked(String what, IOException e) {
    return new UncheckedIOException(what + ": " + e.getMessage(), e);
  }
}
