package io.dspot.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this node knows about its cluster at one moment: the live members (from {@link LiveNodes},
 * the one membership source) with their published addresses, whether the members counted form a
 * majority of the configured size, and which live members were configured differently (seen,
 * never counted). Plain data, built without Vert.x.
 */
public record MembershipView(String self, int configuredSize, int majorityOf, List<Member> members, List<Mismatch> mismatches) {

  /** A live member; {@code nodeId} is null while its directory entry is still being looked up (not counted yet). */
  public record Member(String nodeId, String vertxNodeId, String api, String internal) {}

  /** A live member whose cluster name, member list or size differs from ours. */
  public record Mismatch(String nodeId, String vertxNodeId, String theirs, String ours) {}

  public static final String UP = "UP";
  public static final String DEGRADED = "DEGRADED";

  /**
   * @param liveVertxNodeIds the cluster manager's members, ours included
   * @param counted live members of this cluster: Vert.x node id → node id
   * @param mismatched live members configured for another cluster, by Vert.x node id
   * @param endpoints the registry's node endpoints (records of departed members are ignored)
   */
  public static MembershipView of(String self, int configuredSize, int majorityOf, Set<String> liveVertxNodeIds,
      Map<String, String> counted, Map<String, Mismatch> mismatched, List<Endpoint> endpoints) {
    Map<String, Member> byVertxId = new TreeMap<>();
    for (String id : liveVertxNodeIds) {
      if (!mismatched.containsKey(id)) {
        byVertxId.put(id, new Member(counted.get(id), id, null, null));
      }
    }
    for (Endpoint e : endpoints) {
      Member m = byVertxId.get(e.vertxNodeId());
      if (m == null || m.nodeId() == null) {
        continue;
      }
      byVertxId.put(e.vertxNodeId(), new Member(m.nodeId(), e.vertxNodeId(),
          e.kind() == Endpoint.Kind.API ? e.address() : m.api(),
          e.kind() == Endpoint.Kind.INTERNAL ? e.address() : m.internal()));
    }
    List<Member> members = byVertxId.values().stream()
        .sorted(Comparator.comparing(Member::nodeId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Member::vertxNodeId))
        .toList();
    List<Mismatch> mismatches = mismatched.values().stream().sorted(Comparator.comparing(Mismatch::nodeId)).toList();
    return new MembershipView(self, configuredSize, majorityOf, members, mismatches);
  }

  /** Members that count towards the majority: those known to be configured like this node. */
  public long counted() {
    return members.stream().filter(m -> m.nodeId() != null).count();
  }

  public boolean majority() {
    return counted() >= majorityOf;
  }

  public String status() {
    return reason() == null ? UP : DEGRADED;
  }

  /** Why the node is degraded, in words an operator understands; null when it is not. */
  public String reason() {
    List<String> reasons = new ArrayList<>();
    if (!majority()) {
      reasons.add("sees " + counted() + " of " + configuredSize + " configured members: no majority (needs "
          + majorityOf + "), writes refused");
    } else if (counted() > configuredSize) {
      reasons.add("sees " + counted() + " members but only " + configuredSize + " are configured");
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
        .put("counted", counted())
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
