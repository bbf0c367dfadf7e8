package io.dspot.pki;

import io.dspot.config.ConfigException;
import io.dspot.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node proves to its peers and how it recognises them: its {@link MemberTls} (null only
 * when the operator set {@code cluster.insecure}) and the Hazelcast cluster name, taken from the
 * secret file so that no value shipped in {@code conf/} lets anyone join.
 *
 * <p>A clustered node (configured size above one) refuses to start without its certificate, key,
 * CA and secret. A single node with none of them makes its own under {@code cluster.certsDir} on
 * first start (a CA of its own, kept there), so its event bus and internal API are mutual TLS too
 * and the quick start stays one command.
 */
public record ClusterIdentity(MemberTls tls, String hazelcastClusterName) {

  private static final Logger log = LoggerFactory.getLogger(ClusterIdentity.class);
  private static final int MIN_SECRET_LENGTH = 16;

  public boolean insecure() {
    return tls == null;
  }

  /** Loads (or, for a single node, first makes) this node's identity; fails with what is missing and how to make it. */
  public static ClusterIdentity establish(String nodeId, NodeConfig.Cluster cluster) {
    NodeConfig.Trust trust = cluster.trust();
    if (trust.insecure()) {
      log.warn("!!! INSECURE CLUSTER PLANE: cluster.insecure is true. The event bus and the internal API of node {} run without TLS "
          + "and without peer authentication, and the Hazelcast cluster name is the one from the config. Anyone who reaches {} "
          + "can forge events and read every account's password hash. For experiments only. !!!", nodeId, cluster.host());
      return new ClusterIdentity(null, cluster.name());
    }
    List<Path> missing = missing(trust);
    if (!missing.isEmpty() && !cluster.clustered()) {
      provisionSingleNode(nodeId, cluster, trust);
      missing = missing(trust);
    }
    if (!missing.isEmpty()) {
      throw new ConfigException("cluster.certsDir", "node " + nodeId + " (cluster.size " + cluster.size() + ") "
          + "needs its certificate, key, the cluster CA and the cluster secret; missing: " + missing + ". Create them with "
          + "'java -jar dspot.jar certs init DIR' (once per cluster) and 'java -jar dspot.jar certs node DIR " + nodeId
          + " --host " + cluster.host() + "', then set cluster.certsDir (or cluster.caFile/certFile/keyFile/secretFile); "
          + "or, for experiments only, cluster.insecure: true");
    }
    check(nodeId, trust);
    return new ClusterIdentity(new MemberTls(trust.caFile(), trust.certFile(), trust.keyFile()), "dspot-" + readSecret(trust.secretFile()));
  }

  private static List<Path> missing(NodeConfig.Trust trust) {
    List<Path> missing = new ArrayList<>();
    for (Path p : List.of(trust.caFile(), trust.certFile(), trust.keyFile(), trust.secretFile())) {
      if (!Files.isReadable(p)) {
        missing.add(p);
      }
    }
    return missing;
  }

  /**
   * Makes what is missing, but never replaces a CA: with no CA file everything is made afresh;
   * with a CA whose key is in {@code certsDir} the missing member files are issued from it; a CA
   * without its key (the operator's) is left alone and the start fails with what is missing.
   */
  private static void provisionSingleNode(String nodeId, NodeConfig.Cluster cluster, NodeConfig.Trust trust) {
    CertsDir dir = new CertsDir(trust.certsDir());
    boolean memberMissing = !Files.exists(trust.certFile()) || !Files.exists(trust.keyFile());
    if (Files.exists(trust.caFile()) && memberMissing && !Files.exists(dir.caKey())) {
      return;
    }
    dir.create();
    ClusterCa ca = null;
    if (!Files.exists(trust.caFile())) {
      ca = ClusterCa.create(nodeId);
      Pem.writeCertificate(trust.caFile(), ca.certificate());
      Pem.writePrivateKey(dir.caKey(), ca.privateKey());
      memberMissing = true;
    }
    if (memberMissing) {
      if (ca == null) {
        ca = new ClusterCa(Pem.readCertificates(trust.caFile()).get(0), Pem.readPrivateKey(dir.caKey()));
      }
      ClusterCa.Member member = ca.issue(nodeId, ClusterCa.defaultHosts(cluster.host()));
      Pem.writeCertificate(trust.certFile(), member.certificate());
      Pem.writePrivateKey(trust.keyFile(), member.key());
    }
    if (!Files.exists(trust.secretFile())) {
      ClusterSecret.create(trust.secretFile());
    }
    log.info("single node {}: made its own cluster identity in {} (to grow into a cluster, issue the other members' "
        + "certificates from this CA: 'certs node {} <node-id> --host <address>')", nodeId, trust.certsDir(), trust.certsDir());
  }

  /** Fails start-up now, with the file to blame, rather than at the first handshake. */
  private static void check(String nodeId, NodeConfig.Trust trust) {
    List<X509Certificate> cas = read("cluster.caFile", () -> Pem.readCertificates(trust.caFile()));
    X509Certificate mine = read("cluster.certFile", () -> Pem.readCertificates(trust.certFile()).get(0));
    PrivateKey key = read("cluster.keyFile", () -> Pem.readPrivateKey(trust.keyFile()));
    try {
      mine.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new ConfigException("cluster.certFile", trust.certFile() + " is not valid now (" + e.getMessage() + "): issue a new one with 'certs node'");
    }
    if (cas.stream().noneMatch(ca -> signedBy(mine, ca))) {
      throw new ConfigException("cluster.certFile", trust.certFile() + " is not signed by the cluster CA in " + trust.caFile());
    }
    if (!Keys.belongTogether(key, mine)) {
      throw new ConfigException("cluster.keyFile", trust.keyFile() + " is not the key of the certificate " + trust.certFile());
    }
    log.info("node {}: cluster plane authenticated by {} (CA {})", nodeId, mine.getSubjectX500Principal().getName(), trust.caFile());
  }

  private interface Reading<T> {
    T read();
  }

  private static <T> T read(String key, Reading<T> reading) {
    try {
      return reading.read();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String readSecret(Path file) {
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new ConfigException("cluster.secretFile", "cannot read " + file + ": " + e.getMessage());
    }
    if (secret.length() < MIN_SECRET_LENGTH || !secret.matches("[A-Za-z0-9_-]+")) {
      throw new ConfigException("cluster.secretFile", file + " must hold one line of at least " + MIN_SECRET_LENGTH
          + " letters, digits, '-' or '_' (make one with 'certs init')");
    }
    return secret;
  }
}
