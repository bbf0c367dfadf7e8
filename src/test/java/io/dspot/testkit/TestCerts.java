package io.dspot.testkit;

import io.dspot.pki.CertsDir;
import io.dspot.pki.ClusterCa;
import io.dspot.pki.ClusterSecret;
import io.dspot.pki.MemberTls;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Cluster certificates for tests, made in-process with the production pki code: one CA per test
 * JVM (made once, in milliseconds), one certificates directory per cluster name (its own secret,
 * so concurrent test clusters never join each other) and a member certificate per node on demand.
 * Everything lives under one temporary directory removed when the JVM exits.
 */
public final class TestCerts {

  private static final Path ROOT = createRoot();
  private static final ClusterCa CA = ClusterCa.create("test-run");

  private TestCerts() {}

  /** The certificates directory of {@code clusterName}, holding {@code nodeId}'s certificate (SANs: {@code hosts} and loopback). */
  public static synchronized Path forMember(String clusterName, String nodeId, String... hosts) {
    return issueInto(CA, dirOf(clusterName), clusterName, nodeId, hosts);
  }

  /** {@code nodeId}'s member TLS material in {@code clusterName} (for tests that build servers and clients themselves). */
  public static MemberTls member(String clusterName, String nodeId) {
    CertsDir files = new CertsDir(forMember(clusterName, nodeId));
    return new MemberTls(files.caCert(), files.memberCert(nodeId), files.memberKey(nodeId));
  }

  /**
   * A certificates directory for {@code nodeId} in {@code clusterName}'s secret but with a
   * certificate from a CA of its own: a rogue that knows the Hazelcast name, not the cluster CA.
   */
  public static synchronized Path foreignMember(String clusterName, String nodeId) {
    Path dir = ROOT.resolve("foreign-" + clusterName + "-" + nodeId);
    ClusterCa other = ClusterCa.create("foreign");
    return issueInto(other, dir, clusterName, nodeId);
  }

  private static Path issueInto(ClusterCa ca, Path dir, String clusterName, String nodeId, String... hosts) {
    CertsDir files = new CertsDir(dir);
    if (!Files.exists(files.caCert())) {
      ca.writeTo(dir);
    }
    Path secret = dirOf(clusterName).resolve("secret");
    try {
      if (!Files.exists(secret)) {
        Files.createDirectories(secret.getParent());
        ClusterSecret.create(secret);
      }
      if (!Files.exists(files.secret())) {
        Files.copy(secret, files.secret());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Files.exists(files.memberCert(nodeId))) {
      List<String> names = new ArrayList<>(List.of(hosts));
      names.addAll(ClusterCa.defaultHosts("127.0.0.1"));
      ClusterCa.write(dir, nodeId, ca.issue(nodeId, names.stream().distinct().toList()));
    }
    return dir;
  }

  private static Path dirOf(String clusterName) {
    return ROOT.resolve(clusterName);
  }

  /** A JDK client context presenting {@code tls}'s certificate and trusting only its CA (for java.net.http). */
  public static SSLContext sslContext(MemberTls tls) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("member", readKey(tls.keyFile()), new char[0], readCerts(tls.certFile()).toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), trustOnly(tls.caFile()).getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build an SSL context from " + tls, e);
    }
  }

  /**
   * What a TLS server on loopback {@code port} answers to a client with {@code context} that finishes
   * its handshake and then waits: the exception the first read throws, or null when the server kept
   * the connection open (it accepted the certificate). Under TLS 1.3 the server judges the client's
   * certificate only after the client's handshake is over; a client that sends a request at once can
   * see the connection reset (the request arrived unread after the refusal) before the alert. Reading
   * first, with nothing sent, always gets the alert itself.
   */
  public static IOException handshakeVerdict(SSLContext context, int port) {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(2_000);
      socket.startHandshake();
      socket.getInputStream().read();
      throw new IllegalStateException("the server closed the connection without an alert");
    } catch (SocketTimeoutException accepted) {
      return null;
    } catch (IOException refused) {
      return refused;
    }
  }

  /** A JDK client context with no certificate of its own that trusts {@code caFile}: a stranger who knows the CA. */
  public static SSLContext anonymousContext(Path caFile) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustOnly(caFile).getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TrustManagerFactory trustOnly(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate ca : readCerts(caFile)) {
      trust.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  private static List<X509Certificate> readCerts(Path file) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        out.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) o));
      }
    }
    return out;
  }

  private static PrivateKey readKey(Path file) throws Exception {
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    }
  }

  private static Path createRoot() {
    try {
      Path root = Files.createTempDirectory("dspot-test-certs-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // best effort
        }
      }));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
