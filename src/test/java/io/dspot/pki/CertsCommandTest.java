package io.dspot.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certs init} and {@code certs node}, run as the CLI runs them. */
class CertsCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CertsCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void initMakesCaAndSecretWithPrivateFilesOnly0600() throws Exception {
    assertThat(run("init", dir.toString())).isZero();

    assertThat(permissions(dir.resolve("ca.key"))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve("secret"))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve("ca.crt"))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(dir.resolve("secret")).trim()).matches("[A-Za-z0-9_-]{43}");
    X509Certificate ca = Pem.readCertificates(dir.resolve("ca.crt")).get(0);
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
  }

  @Test
  void initRefusesToReplaceAnExistingCa() throws Exception {
    assertThat(run("init", dir.toString())).isZero();
    String before = Files.readString(dir.resolve("ca.crt"));

    assertThat(run("init", dir.toString())).isEqualTo(1);

    assertThat(err.toString()).contains("already holds a CA");
    assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(before);
  }

  @Test
  void nodeCertificateIsSignedByTheCaWithNodeIdAndHostsAsSubjectAlternativeNames() throws Exception {
    run("init", dir.toString());

    assertThat(run("node", dir.toString(), "node-2", "--host", "10.0.0.12")).isZero();

    X509Certificate cert = Pem.readCertificates(dir.resolve("node-2.crt")).get(0);
    cert.verify(Pem.readCertificates(dir.resolve("ca.crt")).get(0).getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=node-2");
    assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
        .containsExactlyInAnyOrder("node-2", "10.0.0.12", "localhost", "127.0.0.1");
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(permissions(dir.resolve("node-2.key"))).isEqualTo("rw-------");
  }

  @Test
  void nodeWithoutCaOrWithBadArgumentsFailsWithUsage() {
    assertThat(run("node", dir.toString(), "node-1")).isEqualTo(1);
    assertThat(err.toString()).contains("no CA in");

    assertThat(run("node", dir.toString(), "../evil")).isEqualTo(2);
    assertThat(run("node", dir.toString(), "node-1", "--host")).isEqualTo(2);
    assertThat(run("rotate")).isEqualTo(2);
    assertThat(err.toString()).contains("usage: java -jar dspot.jar certs init DIR");
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
