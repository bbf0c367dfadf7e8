package io.dspot.cluster;

import io.dspot.config.NodeConfig;
import java.util.List;

/**
 * What every member of one cluster must agree on: the cluster name, the member list and the
 * configured size. Kept readable (not hashed) so a log line shows what differs.
 */
final class ConfigFingerprint {

  private ConfigFingerprint() {}

  static String of(NodeConfig.Cluster cluster) {
    List<String> members = cluster.members().stream().map(String::trim).sorted().distinct().toList();
    return cluster.name() + "|" + String.join(",", members) + "|" + cluster.size();
  }
}
