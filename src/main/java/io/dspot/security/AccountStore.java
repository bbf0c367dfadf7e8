package io.dspot.security;

import io.dspot.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The users and sessions tables. */
final class AccountStore {

  static final String INSERT_USER =
      "INSERT INTO users (id, username, password_hash, role) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id, username, role, created_at";
  static final String FIND_BY_NAME = "SELECT id, username, role, password_hash FROM users WHERE username = $1";
  static final String LIST_USERS = "SELECT id, username, role, created_at, count(*) OVER () AS total FROM users ORDER BY username LIMIT $1 OFFSET $2";
  static final String COUNT_USERS = "SELECT count(*) FROM users";
  static final String DELETE_USER = "DELETE FROM users WHERE id = $1";
  static final String COUNT_ADMINS = "SELECT count(*) FROM users WHERE role = 'admin' AND id <> $1";
  static final String INSERT_SESSION = "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
  static final String FIND_SESSION =
      "SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()";
  static final String DELETE_SESSION = "DELETE FROM sessions WHERE token_hash = $1";
  static final String DELETE_EXPIRED = "DELETE FROM sessions WHERE expires_at <= now()";

  private final Pool pool;

  AccountStore(Pool pool) {
    this.pool = pool;
  }

  record StoredUser(UUID id, String username, String role, String passwordHash) {}

  Future<StoredUser> findByName(String username) {
    return pool.preparedQuery(FIND_BY_NAME).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new StoredUser(r.getUUID("id"), r.getString("username"), r.getString("role"), r.getString("password_hash"));
    });
  }

  Future<JsonObject> insert(String username, String passwordHash, Role role) {
    return pool.preparedQuery(INSERT_USER)
        .execute(Tuple.of(UUID.randomUUID(), username, passwordHash, role.wire()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ServiceException.conflict("user '" + username + "' already exists");
          }
          return userJson(rows.iterator().next());
        });
  }

  Future<JsonObject> list(int limit, int offset) {
    return pool.preparedQuery(LIST_USERS).execute(Tuple.of(limit, offset)).map(rows -> {
      JsonArray items = new JsonArray();
      long total = 0;
      for (Row r : rows) {
        items.add(userJson(r));
        total = r.getLong("total");
      }
      return new JsonObject().put("items", items).put("total", total).put("limit", limit).put("offset", offset);
    }).compose(page -> page.getJsonArray("items").isEmpty() && offset > 0
        ? pool.query(COUNT_USERS).execute().map(rows -> page.put("total", rows.iterator().next().getLong(0)))
        : Future.succeededFuture(page));
  }

  Future<Void> delete(UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(COUNT_ADMINS).execute(Tuple.of(id))
        .compose(admins -> tx.preparedQuery(FIND_BY_ID_ROLE).execute(Tuple.of(id)).compose(found -> {
          if (found.size() == 0) {
            throw ServiceException.notFound("no user with id " + id);
          }
          boolean isAdmin = "admin".equals(found.iterator().next().getString("role"));
          if (isAdmin && admins.iterator().next().getLong(0) == 0) {
            throw ServiceException.conflict("cannot delete the last admin");
          }
          return tx.preparedQuery(DELETE_USER).execute(Tuple.of(id));
        }))).mapEmpty();
  }

  static final String FIND_BY_ID_ROLE = "SELECT role FROM users WHERE id = $1";

  Future<Void> insertSession(byte[] tokenHash, UUID userId, OffsetDateTime expires) {
    return pool.preparedQuery(INSERT_SESSION).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), userId, expires)).mapEmpty();
  }

  Future<JsonObject> findSession(byte[] tokenHash) {
    return pool.preparedQuery(FIND_SESSION).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : userJson(rows.iterator().next()));
  }

  Future<Void> deleteSession(byte[] tokenHash) {
    return pool.preparedQuery(DELETE_SESSION).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash))).mapEmpty();
  }

  Future<Void> deleteExpiredSessions() {
    return pool.query(DELETE_EXPIRED).execute().mapEmpty();
  }

  static JsonObject userJson(Row r) {
    JsonObject user = new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("username", r.getString("username"))
        .put("role", r.getString("role"));
    int createdAt = r.getColumnIndex("created_at");
    if (createdAt >= 0) {
      user.put("createdAt", r.getOffsetDateTime(createdAt).toInstant().toString());
    }
    return user;
  }
}
