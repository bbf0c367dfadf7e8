package io.dspot.replication;

import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * with {@code replicas.added} (a node's copies made in one go; {@code replica.added}, one copy, in logs
 * written before it) / {@code replica.dropped}, all idempotent.
 */
final class LocationIndex {

  /**
   * One page of the index, a blob with all its holders per row, in key order after the cursor: a
   * pass reads the index a page at a time (keyset pagination on the primary key's leading column),
   * so what it holds does not grow with the library (the whole index had been 16 MB of maps at
   * 110,000 blobs, plus 61 MB of decoded rows, promoted and kept by every pass).
   */
  static final String PAGE = "SELECT sha256, array_agg(node_id ORDER BY node_id) FROM song_locations WHERE sha256 > $1 "
      + "GROUP BY sha256 ORDER BY sha256 LIMIT $2";
  static final String HOLDERS_OF = "SELECT node_id FROM song_locations WHERE sha256 = $1 ORDER BY node_id";
  static final String INSERT = "INSERT INTO song_locations (sha256, node_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  static final String INSERT_MANY = "INSERT INTO song_locations (sha256, node_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING";
  static final String HOLDERS_OF_ANY = "SELECT sha256, node_id FROM song_locations WHERE sha256 = ANY($1)";
  /** Blobs per {@code replicas.added} record at most: one record stays small enough to relay and apply quickly. */
  static final int MAX_RECORDED = 500;
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
    orderedLog.registerApplier(ReplicationAddresses.REPLICAS_ADDED, (tx, p) -> tx.preparedQuery(INSERT_MANY)
        .execute(Tuple.tuple().addArrayOfString(p.getJsonArray("sha256s").stream().map(String.class::cast).toArray(String[]::new)).addString(p.getString("node")))
        .mapEmpty());
    orderedLog.registerApplier(ReplicationAddresses.REPLICA_DROPPED, (tx, p) -> tx.preparedQuery(DELETE).execute(row(p)).mapEmpty());
    orderedLog.onRebuild(tx -> tx.query(WIPE).execute().mapEmpty());
  }

  private static Tuple row(JsonObject payload) {
    return Tuple.of(payload.getString("sha256"), payload.getString("node"));
  }

  static JsonObject payload(String sha256, String node) {
    return new JsonObject().put("sha256", sha256).put("node", node);
  }

  /**
   * Up to {@code limit} blobs whose keys sort after {@code after} ({@code ""}: from the first), in
   * key order, each with every node the index lists for it. Fewer than {@code limit}: the last page.
   */
  Future<Map<String, Set<String>>> page(String after, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(after, limit)).map(rows -> {
      Map<String, Set<String>> page = new LinkedHashMap<>();
      for (Row r : rows) {
        page.put(r.getString(0), new TreeSet<>(Arrays.asList(r.getArrayOfStrings(1))));
      }
      return page;
    });
  }

  Future<List<String>> holdersOf(String sha256) {
    return holders(pool, sha256);
  }

  /**
   * Records that {@code node} holds each of {@code shas} (at most {@link #MAX_RECORDED}), in one
   * record; answers the blobs refused because the index no longer lists them at all (their song was
   * deleted while the copy was on its way), whose copies go again.
   */
  Future<Set<String>> recordReplicas(List<String> shas, String node) {
    if (shas.size() > MAX_RECORDED) {
      return Future.failedFuture(new IllegalArgumentException("at most " + MAX_RECORDED + " replicas per record, got " + shas.size()));
    }
    return orderedLog.submit(tx -> holdersOfEach(tx, shas)
        .map(holders -> {
          JsonArray fresh = new JsonArray();
          JsonArray refused = new JsonArray();
          for (String sha : new TreeSet<>(shas)) {
            Set<String> listed = holders.get(sha);
            if (listed == null) {
              refused.add(sha);
            } else if (!listed.contains(node)) {
              fresh.add(sha);
            }
          }
          JsonObject result = new JsonObject().put("refused", refused);
          return fresh.isEmpty() ? Decision.nothing(result)
              : Decision.record(ReplicationAddresses.REPLICAS_ADDED, new JsonObject().put("node", node).put("sha256s", fresh), result);
        }))
        .map(r -> {
          Set<String> refused = new TreeSet<>();
          r.getJsonArray("refused").forEach(sha -> refused.add((String) sha));
          return refused;
        });
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

  /** The nodes the index lists for each of {@code shas}; a blob it does not list at all is absent. */
  Future<Map<String, Set<String>>> holdersOfEach(List<String> shas) {
    return holdersOfEach(pool, shas);
  }

  private static Future<Map<String, Set<String>>> holdersOfEach(SqlClient client, List<String> shas) {
    return client.preparedQuery(HOLDERS_OF_ANY).execute(Tuple.tuple().addArrayOfString(shas.toArray(String[]::new))).map(rows -> {
      Map<String, Set<String>> holders = new HashMap<>();
      rows.forEach(r -> holders.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1)));
      return holders;
    });
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
