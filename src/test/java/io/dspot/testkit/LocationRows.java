package io.dspot.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/** What a node's location index ({@code song_locations}) says, read straight from its database. */
public final class LocationRows {
  private LocationRows() {}

  /** The nodes the index at {@code jdbcUrl} lists as holding the blob, sorted. */
  public static Set<String> holders(String jdbcUrl, String sha256) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        var statement = c.prepareStatement("SELECT node_id FROM song_locations WHERE sha256 = ?")) {
      statement.setString(1, sha256);
      Set<String> holders = new TreeSet<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          holders.add(rs.getString(1));
        }
      }
      return holders;
    }
  }
}
