package io.dspot.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a certificates directory, as {@code certs init} and {@code certs node} write it:
 * {@code ca.crt} (the trust anchor every member needs), {@code ca.key} (only on the machine that
 * issues certificates), {@code secret} (the Hazelcast cluster name), and per member
 * {@code <node-id>.crt} + {@code <node-id>.key}.
 */
public record CertsDir(Path dir) {

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  public Path caKey() {
    return dir.resolve("ca.key");
  }

  public Path secret() {
    return dir.resolve("secret");
  }

  public Path memberCert(String nodeId) {
    return dir.resolve(nodeId + ".crt");
  }

  public Path memberKey(String nodeId) {
    return dir.resolve(nodeId + ".key");
  }

  CertsDir create() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw ClusterCa.unchecked("cannot create " + dir, e);
    }
    return this;
  }
}
