package io.dspot.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The location index read a page at a time against a real PostgreSQL: every blob once, whole, in key order. */
class LocationIndexPagesTest {

  private static final int BLOBS = 2_500;
  private static EmbeddedPostgres pg;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void startDatabase() throws Exception {
    Path dir = Files.createTempDirectory("location-pages-test");
    pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
    Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // Blob i is held by 1 + i % 3 nodes: pages must not split a blob's rows.
      s.execute("INSERT INTO song_locations (sha256, node_id) SELECT md5(i::text) || md5((i + 1)::text), 'node-' || j "
          + "FROM generate_series(1, " + BLOBS + ") i, generate_series(1, 1 + i % 3) j");
    }
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(pg.getPort())
        .setDatabase("postgres").setUser("postgres")).using(vertx).build();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    pool.close().await();
    vertx.close().await();
    pg.close();
  }

  @Test
  void pagesHoldAtMostTheLimitAndTogetherEveryBlobOnceWithAllItsHoldersInKeyOrder() throws Exception {
    LocationIndex index = new LocationIndex(pool, null);
    Map<String, Set<String>> seen = new TreeMap<>();
    List<Integer> sizes = new ArrayList<>();
    String after = "";
    List<String> order = new ArrayList<>();
    while (true) {
      Map<String, Set<String>> page = index.page(after, 1_000).await();
      sizes.add(page.size());
      if (page.isEmpty()) {
        break;
      }
      for (Map.Entry<String, Set<String>> e : page.entrySet()) {
        assertThat(seen.put(e.getKey(), e.getValue())).as("blob " + e.getKey() + " in two pages").isNull();
        order.add(e.getKey());
      }
      after = order.get(order.size() - 1);
      if (page.size() < 1_000) {
        break;
      }
    }
    assertThat(sizes).containsExactly(1_000, 1_000, 500);
    assertThat(order).isSortedAccordingTo(String::compareTo);
    assertThat(seen).isEqualTo(whole());
  }

  @Test
  void anIndexOfExactlyWholePagesEndsWithAnEmptyPage() {
    LocationIndex index = new LocationIndex(pool, null);
    Map<String, Set<String>> first = index.page("", BLOBS / 5).await();
    assertThat(first).hasSize(BLOBS / 5);
    String last = new ArrayList<>(first.keySet()).get(first.size() - 1);
    Map<String, Set<String>> lastPage = index.page(lastOf(index, last), BLOBS).await();
    assertThat(lastPage).isEmpty();
  }

  /** Reads the rest after {@code after} in one page and answers its last key. */
  private static String lastOf(LocationIndex index, String after) {
    Map<String, Set<String>> rest = index.page(after, BLOBS).await();
    assertThat(rest).hasSize(BLOBS - BLOBS / 5);
    return new ArrayList<>(rest.keySet()).get(rest.size() - 1);
  }

  private static Map<String, Set<String>> whole() throws Exception {
    Map<String, Set<String>> all = new TreeMap<>();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sha256, node_id FROM song_locations")) {
      while (rs.next()) {
        all.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>()).add(rs.getString(2));
      }
    }
    assertThat(all).hasSize(BLOBS);
    return all;
  }
}
