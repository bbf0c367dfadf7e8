package io.dspot.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** A fingerprint of one node's replicated tables, read straight from its PostgreSQL. */
public final class CatalogDigest {

  private static final String DIGEST = """
      SELECT
        (SELECT last_seq FROM applied_state) AS last_seq,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT id, name, name_key FROM artists) t) AS artists,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM albums) t) AS albums,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM songs) t) AS songs,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM users) t) AS users,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM sessions) t) AS sessions,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM playlists) t) AS playlists,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM playlist_songs) t) AS playlist_songs,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT 's', * FROM favourite_songs
           UNION ALL SELECT 'al', * FROM favourite_albums UNION ALL SELECT 'ar', * FROM favourite_artists) t) AS favourites,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM ratings) t) AS ratings,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM plays) t) AS plays,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT 's', * FROM play_counts
           UNION ALL SELECT 'al', * FROM album_play_counts
           UNION ALL SELECT 't', user_id, NULL, plays, NULL FROM play_totals) t) AS play_counts,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT * FROM play_queues) t) AS play_queues,
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
           FROM (SELECT seq, epoch, epoch_owner, event_type, payload::text FROM outbox) t) AS events
      """;

  private CatalogDigest() {}

  public static String of(TestNode node) throws Exception {
    return of(node.node().jdbcUrl());
  }

  public static String of(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        ResultSet rs = c.createStatement().executeQuery(DIGEST)) {
      rs.next();
      StringBuilder out = new StringBuilder("seq=" + rs.getLong(1));
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        out.append(' ').append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i), 0, 8);
      }
      return out.toString();
    }
  }

  public static long lastSeq(TestNode node) throws Exception {
    return lastSeq(node.node().jdbcUrl());
  }

  public static long lastSeq(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT last_seq FROM applied_state")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
