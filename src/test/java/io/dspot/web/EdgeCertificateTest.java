package io.dspot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dspot.config.ConfigException;
import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TestNode;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's own certificate, as a PEM pair or a PKCS#12 file, is the one presented; a bad one stops the start. */
class EdgeCertificateTest {

  @TempDir
  Path dir;

  @Test
  void configuredPemPairIsPresented() throws Exception {
    Path cert = dir.resolve("site.crt");
    Path key = dir.resolve("site.key");
    SelfSignedCertificate.generate(cert, key, "music.example.org");
    try (TestNode node = TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_CERT_FILE", cert.toString()).set("DSPOT_HTTP_TLS_KEY_FILE", key.toString()).start()) {
      assertThat(EdgeTlsTest.fingerprint(EdgeTlsTest.presented(node.port()))).isEqualTo(EdgeTlsTest.fingerprint(read(cert)));
      assertThat(new ApiClient(node).get("/api/health").status()).isEqualTo(200);
      assertThat(EdgeCertificate.generatedCertFile(node.dataDir())).as("nothing generated when one is configured").doesNotExist();
    }
  }

  @Test
  void configuredPkcs12IsPresented() throws Exception {
    Path cert = dir.resolve("site.crt");
    Path p12 = pkcs12(cert, "s3cret-pass");
    try (TestNode node = TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_PKCS12_FILE", p12.toString()).set("DSPOT_HTTP_TLS_PKCS12_PASSWORD", "s3cret-pass").start()) {
      assertThat(EdgeTlsTest.fingerprint(EdgeTlsTest.presented(node.port()))).isEqualTo(EdgeTlsTest.fingerprint(read(cert)));
    }
  }

  @Test
  void missingCertificateFileStopsTheStartNamingTheKey() {
    Path missing = dir.resolve("nope.crt");
    assertThatThrownBy(() -> TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_CERT_FILE", missing.toString()).set("DSPOT_HTTP_TLS_KEY_FILE", dir.resolve("nope.key").toString()).start())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.tls.certFile").hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
  }

  @Test
  void certificateFileThatIsNotACertificateStopsTheStart() throws Exception {
    Path cert = dir.resolve("site.crt");
    Path key = dir.resolve("site.key");
    SelfSignedCertificate.generate(cert, key, "localhost");
    Files.writeString(cert, "hello, not a certificate\n");
    assertThatThrownBy(() -> TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_CERT_FILE", cert.toString()).set("DSPOT_HTTP_TLS_KEY_FILE", key.toString()).start())
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.certFile").hasMessageContaining("not a PEM certificate");
  }

  @Test
  void keyOfAnotherCertificateStopsTheStart() {
    SelfSignedCertificate.generate(dir.resolve("a.crt"), dir.resolve("a.key"), "localhost");
    SelfSignedCertificate.generate(dir.resolve("b.crt"), dir.resolve("b.key"), "localhost");
    assertThatThrownBy(() -> TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_CERT_FILE", dir.resolve("a.crt").toString()).set("DSPOT_HTTP_TLS_KEY_FILE", dir.resolve("b.key").toString()).start())
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.keyFile").hasMessageContaining("does not belong");
  }

  @Test
  void wrongPkcs12PasswordStopsTheStart() throws Exception {
    Path p12 = pkcs12(dir.resolve("site.crt"), "right-password");
    assertThatThrownBy(() -> TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_PKCS12_FILE", p12.toString()).set("DSPOT_HTTP_TLS_PKCS12_PASSWORD", "wrong-password").start())
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.pkcs12File").hasMessageContaining("wrong http.tls.pkcs12Password");
  }

  @Test
  void halfAPemPairIsAConfigError() {
    assertThatThrownBy(() -> TestNode.builder().dataDir(dir.resolve("node"))
        .set("DSPOT_HTTP_TLS_CERT_FILE", dir.resolve("only.crt").toString()).start())
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.keyFile");
  }

  @Test
  void generatedCertificateIsKeptAcrossRestarts() throws Exception {
    try (TestNode node = TestNode.builder().dataDir(dir.resolve("node")).start()) {
      String first = EdgeTlsTest.fingerprint(EdgeTlsTest.presented(node.port()));
      node.restart();
      assertThat(EdgeTlsTest.fingerprint(EdgeTlsTest.presented(node.port()))).isEqualTo(first);
    }
  }

  /** A PKCS#12 file holding a fresh self-signed pair; its certificate is also written to {@code cert}. */
  private Path pkcs12(Path cert, String password) throws Exception {
    Path key = dir.resolve("p12.key");
    SelfSignedCertificate.generate(cert, key, "localhost");
    PrivateKey privateKey;
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(key)))) {
      privateKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("edge", privateKey, password.toCharArray(), new Certificate[] {read(cert)});
    Path p12 = dir.resolve("site.p12");
    try (OutputStream out = Files.newOutputStream(p12)) {
      store.store(out, password.toCharArray());
    }
    return p12;
  }

  private static X509Certificate read(Path cert) throws Exception {
    try (var in = Files.newInputStream(cert)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
