package io.dspot.web;

import io.dspot.pki.Keys;
import io.dspot.pki.Pem;

import io.dspot.config.ConfigException;
import io.dspot.config.NodeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the external server presents: the configured PEM pair or PKCS#12 file, or the
 * self-signed one in {@code <dataDir>/tls/}. Read and checked once at start-up (blocking, from
 * {@code Node.start}), so a missing file, a wrong password or a key that does not belong to the
 * certificate stops the node with the config key named, instead of failing every handshake.
 */
public final class EdgeCertificate {

  private static final Logger log = LoggerFactory.getLogger(EdgeCertificate.class);

  private final X509Certificate leaf;
  private final KeyCertOptions keyCert;
  private final NodeConfig.Tls.Engine engine;

  private EdgeCertificate(X509Certificate leaf, KeyCertOptions keyCert, NodeConfig.Tls.Engine engine) {
    this.leaf = leaf;
    this.keyCert = keyCert;
    this.engine = engine;
  }

  public static Path generatedCertFile(Path dataDir) {
    return dataDir.resolve("tls").resolve("edge-cert.pem");
  }

  public static Path generatedKeyFile(Path dataDir) {
    return dataDir.resolve("tls").resolve("edge-key.pem");
  }

  /** Loads (or first generates) the certificate and logs where it came from and its fingerprint. */
  public static EdgeCertificate load(NodeConfig.Http http, Path dataDir) {
    NodeConfig.Tls tls = http.tls();
    NodeConfig.Tls.Engine engine = engineAvailable(tls.engine());
    EdgeCertificate certificate;
    String source;
    if (tls.pem()) {
      certificate = fromPem(Path.of(tls.certFile()), Path.of(tls.keyFile()), "http.tls", engine);
      source = tls.certFile();
    } else if (tls.pkcs12()) {
      certificate = fromPkcs12(Path.of(tls.pkcs12File()), tls.pkcs12Password(), engine);
      source = tls.pkcs12File();
    } else {
      Path cert = generatedCertFile(dataDir);
      Path key = generatedKeyFile(dataDir);
      if (!Files.exists(cert) || !Files.exists(key) || expired(cert)) {
        SelfSignedCertificate.generate(cert, key, http.host());
        log.info("generated a self-signed TLS certificate in {} (configure http.tls.certFile/keyFile or http.tls.pkcs12File to use your own)",
            cert.getParent());
      }
      certificate = fromPem(cert, key, "the generated certificate in " + cert.getParent() + " (delete both files to make a new one)", engine);
      source = "self-signed " + cert;
    }
    log.info("HTTPS with {} ({}), SHA-256 fingerprint {}, TLS engine {}", source, certificate.leaf.getSubjectX500Principal().getName(),
        certificate.fingerprint(), engine.name().toLowerCase(java.util.Locale.ROOT));
    return certificate;
  }

  /** SHA-256 over the DER certificate, as browsers and {@code openssl x509 -fingerprint -sha256} show it. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HTTPS with HTTP/2 (ALPN) and HTTP/1.1 on {@code options}. */
  HttpServerOptions applyTo(HttpServerOptions options) {
    return options.setSsl(true)
        .setKeyCertOptions(keyCert.copy())
        .setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setSslEngineOptions(engine == NodeConfig.Tls.Engine.OPENSSL ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
  }

  private static NodeConfig.Tls.Engine engineAvailable(NodeConfig.Tls.Engine wanted) {
    if (wanted == NodeConfig.Tls.Engine.OPENSSL && !OpenSSLEngineOptions.isAvailable()) {
      // netty-tcnative ships for glibc Linux x86-64 only; elsewhere the JDK's engine still works.
      log.warn("http.tls.engine is openssl but netty-tcnative is not usable on this platform; using the JDK's TLS engine");
      return NodeConfig.Tls.Engine.JDK;
    }
    return wanted;
  }

  private static boolean expired(Path certFile) {
    try {
      readCertificates(certFile, "the generated certificate").get(0).checkValidity();
      return false;
    } catch (java.security.cert.CertificateException | ConfigException e) {
      log.warn("the generated TLS certificate {} is expired or unreadable ({}); making a new one", certFile, e.getMessage());
      return true;
    }
  }

  private static EdgeCertificate fromPem(Path certFile, Path keyFile, String key, NodeConfig.Tls.Engine engine) {
    String certKey = key.equals("http.tls") ? "http.tls.certFile" : key;
    String keyKey = key.equals("http.tls") ? "http.tls.keyFile" : key;
    List<X509Certificate> chain = readCertificates(certFile, certKey);
    PrivateKey privateKey = readPrivateKey(keyFile, keyKey);
    if (!Keys.belongTogether(privateKey, chain.get(0))) {
      throw new ConfigException(keyKey, "the key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
    PemKeyCertOptions options = new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(read(certFile, certKey)))
        // Re-encoded as PKCS#8, the one key form every TLS engine reads.
        .setKeyValue(Buffer.buffer(Pem.privateKeyText(privateKey)));
    return new EdgeCertificate(chain.get(0), options, engine);
  }

  private static EdgeCertificate fromPkcs12(Path file, String password, NodeConfig.Tls.Engine engine) {
    byte[] bytes = read(file, "http.tls.pkcs12File");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(bytes), password.toCharArray());
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate leaf) {
          PfxOptions options = new PfxOptions().setValue(Buffer.buffer(bytes)).setPassword(password).setAlias(alias);
          return new EdgeCertificate(leaf, options, engine);
        }
      }
      throw new ConfigException("http.tls.pkcs12File", file + " holds no private key with a certificate");
    } catch (IOException e) {
      // Java reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
      throw new ConfigException("http.tls.pkcs12File", "cannot open " + file + " (wrong http.tls.pkcs12Password, or not a PKCS#12 file): " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigException("http.tls.pkcs12File", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static List<X509Certificate> readCertificates(Path file, String key) {
    byte[] bytes = read(file, key);
    try {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)).stream()
          .map(X509Certificate.class::cast).toList();
      if (chain.isEmpty()) {
        throw new ConfigException(key, file + " holds no certificate");
      }
      return chain;
    } catch (java.security.cert.CertificateException e) {
      throw new ConfigException(key, file + " is not a PEM certificate: " + e.getMessage());
    }
  }

  private static PrivateKey readPrivateKey(Path file, String key) {
    String pem = new String(read(file, key), StandardCharsets.US_ASCII);
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new ConfigException(key, file + " holds no unencrypted PEM private key");
    } catch (IOException e) {
      throw new ConfigException(key, file + " is not a PEM private key: " + e.getMessage());
    }
  }

  private static byte[] read(Path file, String key) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
    }
  }

  /** For the log and tests: the certificate presented. */
  public Certificate certificate() {
    return leaf;
  }
}
