package io.dspot.replication;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members placement is computed over: the live nodes, plus nodes that left less than the
 * grace period ago. A brief blip (a restart, a GC pause long enough to be dropped) moves nothing;
 * a node gone for longer has its songs copied elsewhere. Not thread-safe: one event loop.
 */
final class PlacementMembers {

  private final long graceMillis;
  private final Set<String> live = new TreeSet<>();
  private final Map<String, Long> leftAt = new HashMap<>();

  PlacementMembers(long graceMillis) {
    this.graceMillis = graceMillis;
  }

  /** Takes this moment's live members; those missing since the last look start their grace. */
  void observe(Set<String> nowLive, long nowMillis) {
    for (String gone : live) {
      if (!nowLive.contains(gone)) {
        leftAt.put(gone, nowMillis);
      }
    }
    live.clear();
    live.addAll(nowLive);
    leftAt.keySet().removeAll(nowLive);
    leftAt.values().removeIf(t -> nowMillis - t >= graceMillis);
  }

  /** Live members and those still within their grace, sorted. */
  Set<String> members(long nowMillis) {
    Set<String> members = new TreeSet<>(live);
    leftAt.forEach((node, t) -> {
      if (nowMillis - t < graceMillis) {
        members.add(node);
      }
    });
    return members;
  }

  Set<String> live() {
    return Set.copyOf(live);
  }
}
