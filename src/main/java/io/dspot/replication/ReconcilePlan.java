package io.dspot.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one node should do about every blob, worked out from the location index, the files on its
 * disk and the placement members (pure: no I/O, so it is tested alone).
 *
 * <ul>
 *   <li>In the blob's placement, file here, index silent: <b>record</b> it (a copy that survived,
 *       or one whose record was lost).
 *   <li>In the placement, no file here (never copied, or removed by the scrub): <b>fetch</b> it from
 *       the live holders the index lists.
 *   <li>Not in the placement, but holding it (file or index row): <b>drop</b> it, only once every
 *       node of its placement is live and listed as a holder, i.e. the song is at its factor
 *       elsewhere; until then keep it.
 * </ul>
 * A member back from a short absence, with its files and its rows, is in the placement again and
 * finds nothing to do: it is recognised by hash, nothing is copied.
 */
record ReconcilePlan(List<Fetch> fetches, List<String> records, List<Drop> drops, int blobs, long bytes, int underReplicated) {

  /** Copy {@code sha256} from one of {@code sources} (live holders, in order). */
  record Fetch(String sha256, List<String> sources, boolean listed) {}

  /** Give up this node's copy; {@code keepers} (all holders, all live) stay. {@code listed}: whether the index names this node. */
  record Drop(String sha256, List<String> keepers, boolean listed) {}

  /**
   * @param index      blob → the nodes the location index lists
   * @param localSizes blob → size of the file on this node's disk (absent: no file)
   * @param members    placement members (live + within grace)
   * @param live       live members
   * @param factor     copies per blob; 0 = every member
   */
  static ReconcilePlan of(String self, Map<String, Set<String>> index, Map<String, Long> localSizes,
      Set<String> members, Set<String> live, int factor) {
    List<Fetch> fetches = new ArrayList<>();
    List<String> records = new ArrayList<>();
    List<Drop> drops = new ArrayList<>();
    int blobs = 0;
    long bytes = 0;
    int under = 0;
    for (Map.Entry<String, Set<String>> entry : index.entrySet()) {
      String sha = entry.getKey();
      Set<String> holders = entry.getValue();
      List<String> placement = Placement.holdersFor(sha, members, factor);
      Long size = localSizes.get(sha);
      boolean listed = holders.contains(self);
      if (size != null && listed) {
        blobs++;
        bytes += size;
      }
      long placedAndHeld = placement.stream().filter(n -> holders.contains(n) && live.contains(n)).count();
      if (placedAndHeld < placement.size()) {
        under++;
      }
      if (placement.contains(self)) {
        if (size == null) {
          List<String> sources = holders.stream().filter(n -> !n.equals(self) && live.contains(n)).toList();
          if (!sources.isEmpty()) {
            fetches.add(new Fetch(sha, sources, listed));
          }
        } else if (!listed) {
          records.add(sha);
        }
      } else if ((listed || size != null) && placedAndHeld == placement.size() && !placement.isEmpty()) {
        drops.add(new Drop(sha, placement, listed));
      }
    }
    return new ReconcilePlan(fetches, records, drops, blobs, bytes, under);
  }
}
