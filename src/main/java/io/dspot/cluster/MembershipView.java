package io.dspot.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this node knows about its cluster at one moment: the live members (from the cluster
 * manager) described by their registry records, whether they form a majority of the configured
 * size, and which of them were configured differently. Plain data, built without Vert.x.
 */
public record MembershipView(String self, int configuredSize, List<Member> members, List<Mismatch> mismatches) {

  public record Member(String nodeId, String vertxNodeId, String api, String internal) {}

  /** A live member whose cluster name, member list or size differs from ours. */
  public record Mismatch(String nodeId, String vertxNodeId, String theirs, String ours) {}

  public static final String UP = "UP";
  public static final String DEGRADED = "DEGRADED";

  /**
   * @param liveVertxNodeIds the cluster manager's members, ours included
   * @param endpoints the registry's node endpoints (records of departed members are ignored)
   */
  public static MembershipView of(String self, String ownFingerprint, int configuredSize, Set<String> liveVertxNodeIds,
      List<Endpoint> endpoints) {
    Map<String, Member> byVertxId = new TreeMap<>();
    for (String id : liveVertxNodeIds) {
      byVertxId.put(id, new Member(null, id, null, null));
    }
    List<Mismatch> mismatches = new ArrayList<>();
    for (Endpoint e : endpoints) {
      Member m = byVertxId.get(e.vertxNodeId());
      if (m == null) {
        continue;
      }
      byVertxId.put(e.vertxNodeId(), new Member(e.nodeId(), e.vertxNodeId(),
          e.kind() == Endpoint.Kind.API ? e.address() : m.api(),
          e.kind() == Endpoint.Kind.INTERNAL ? e.address() : m.internal()));
      if (!Objects.equals(e.fingerprint(), ownFingerprint)
          && mismatches.stream().noneMatch(x -> x.vertxNodeId().equals(e.vertxNodeId()))) {
        mismatches.add(new Mismatch(e.nodeId(), e.vertxNodeId(), e.fingerprint(), ownFingerprint));
      }
    }
    List<Member> members = byVertxId.values().stream()
        .sorted(Comparator.comparing(Member::nodeId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Member::vertxNodeId))
        .toList();
    mismatches.sort(Comparator.comparing(Mismatch::nodeId));
    return new MembershipView(self, configuredSize, members, List.copyOf(mismatches));
  }

  public int majorityOf() {
    return configuredSize / 2 + 1;
  }

  public boolean majority() {
    return members.size() >= majorityOf();
  }

  public String status() {
    return reason() == null ? UP : DEGRADED;
  }

  /** Why the node is degraded, in words an operator understands; null when it is not. */
  public String reason() {
    List<String> reasons = new ArrayList<>();
    if (!majority()) {
      reasons.add("sees " + members.size() + " of " + configuredSize + " configured members: no majority (needs "
          + majorityOf() + "), writes refused");
    } else if (members.size() > configuredSize) {
      reasons.add("sees " + members.size() + " members but only " + configuredSize + " are configured");
    }
    for (Mismatch m : mismatches) {
      reasons.add("member list differs from " + m.nodeId() + "'s (ours " + m.ours() + ", theirs " + m.theirs() + ")");
    }
    return reasons.isEmpty() ? null : String.join("; ", reasons);
  }

  public JsonObject toJson() {
    JsonArray memberList = new JsonArray();
    for (Member m : members) {
      memberList.add(new JsonObject().put("nodeId", m.nodeId()).put("vertxNodeId", m.vertxNodeId())
          .put("api", m.api()).put("internal", m.internal()));
    }
    return new JsonObject()
        .put("self", self)
        .put("configuredSize", configuredSize)
        .put("majority", majority())
        .put("status", status())
        .put("reason", reason())
        .put("members", memberList)
        .put("mismatches", mismatchesJson());
  }

  public JsonArray mismatchesJson() {
    JsonArray list = new JsonArray();
    for (Mismatch m : mismatches) {
      list.add(new JsonObject().put("nodeId", m.nodeId()).put("vertxNodeId", m.vertxNodeId())
          .put("theirs", m.theirs()).put("ours", m.ours()));
    }
    return list;
  }
}
