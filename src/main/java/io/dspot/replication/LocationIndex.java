package io.dspot.replication;

import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The location index ({@code song_locations}: which node holds which blob), owned by replication
 * and changed only through the ordered log, so every node has the same rows. Its blobs are song
 * files and album covers alike. The catalog writes the first rows itself: the uploading node's for
 * the song and its album's cover, inside {@code song.added} (the first copies exist before the song
 * does); and {@code song.deleted} removes the rows of the song and of a cover no album shows now. Every other row comes and goes
 * with {@code replica.added} / {@code replica.dropped}, both idempotent.
 */
final class LocationIndex {

  static final String ALL = "SELECT sha256, node_id FROM song_locations";
  static final String HOLDERS_OF = "SELECT node_id FROM song_locations WHERE sha256 = $1 ORDER BY node_id";
  static final String INSERT = "INSERT INTO song_locations (sha256, node_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  static final String DELETE = "DELETE FROM song_locations WHERE sha256 = $1 AND node_id = $2";
  static final String COUNT_AMONG = "SELECT count(*) FROM song_locations WHERE sha256 = $1 AND node_id = ANY($2)";
  /** A rebuild from peers replays every location from the log. */
  static final String WIPE = "TRUNCATE song_locations";

  private final Pool pool;
  private final OrderedLog orderedLog;

  LocationIndex(Pool pool, OrderedLog orderedLog) {
    this.pool = pool;
    this.orderedLog = orderedLog;
  }

  /** Registers the appliers and the rebuild hook; call before the log starts. */
  static void register(OrderedLog orderedLog) {
    orderedLog.registerApplier(ReplicationAddresses.REPLICA_ADDED, (tx, p) -> tx.preparedQuery(INSERT).execute(row(p)).mapEmpty());
    orderedLog.registerApplier(ReplicationAddresses.REPLICA_DROPPED, (tx, p) -> tx.preparedQuery(DELETE).execute(row(p)).mapEmpty());
    orderedLog.onRebuild(tx -> tx.query(WIPE).execute().mapEmpty());
  }

  private static Tuple row(JsonObject payload) {
    return Tuple.of(payload.getString("sha256"), payload.getString("node"));
  }

  static JsonObject payload(String sha256, String node) {
    return new JsonObject().put("sha256", sha256).put("node", node);
  }

  /** Every blob the cluster holds, with the nodes the index lists for it. */
  Future<Map<String, Set<String>>> all() {
    return pool.query(ALL).execute().map(rows -> {
      Map<String, Set<String>> index = new HashMap<>();
      for (Row r : rows) {
        index.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1));
      }
      return index;
    });
  }

  Future<List<String>> holdersOf(String sha256) {
    return holders(pool, sha256);
  }

  /**
   * Records that {@code node} holds the blob. Refused (recorded: false) when the index no longer
   * lists the blob at all: its song was deleted while the copy was on its way.
   */
  Future<Boolean> recordReplica(String sha256, String node) {
    return orderedLog.submit(tx -> holders(tx, sha256).map(holders -> {
      JsonObject yes = new JsonObject().put("recorded", true);
      if (holders.isEmpty()) {
        return Decision.nothing(new JsonObject().put("recorded", false));
      }
      return holders.contains(node) ? Decision.nothing(yes)
          : Decision.record(ReplicationAddresses.REPLICA_ADDED, payload(sha256, node), yes);
    })).map(r -> r.getBoolean("recorded"));
  }

  /**
   * Removes {@code node}'s row, but only if at least {@code needed} of {@code keepers} hold the
   * blob when the token holder decides: checked there, so two nodes dropping at once never take
   * a song below its factor.
   */
  Future<Boolean> dropReplica(String sha256, String node, List<String> keepers, int needed) {
    return orderedLog.submit(tx -> tx.preparedQuery(COUNT_AMONG).execute(Tuple.of(sha256).addArrayOfString(keepers.toArray(String[]::new)))
        .map(rows -> rows.iterator().next().getLong(0) >= needed
            ? Decision.record(ReplicationAddresses.REPLICA_DROPPED, payload(sha256, node), new JsonObject().put("dropped", true))
            : Decision.nothing(new JsonObject().put("dropped", false))))
        .map(r -> r.getBoolean("dropped"));
  }

  private static Future<List<String>> holders(SqlClient client, String sha256) {
    return client.preparedQuery(HOLDERS_OF).execute(Tuple.of(sha256))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }
}
