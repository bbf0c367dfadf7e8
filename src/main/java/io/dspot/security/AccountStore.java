package io.dspot.security;

import io.dspot.bus.ServiceException;
import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The users and sessions tables. Reads are local; every change is an ordered event, so accounts
 * and sessions are the same on every node (log in on one, stream from another).
 */
final class AccountStore {

  static final String USER_CREATED = "user.created";
  static final String USER_DELETED = "user.deleted";
  static final String SESSION_CREATED = "session.created";
  static final String SESSION_DELETED = "session.deleted";

  /**
   * A rebuild from peers starts without accounts. DELETE, not TRUNCATE: playlists reference their
   * owners, and the ON DELETE CASCADE takes sessions (and any playlist left) along.
   */
  static final String WIPE = "DELETE FROM users";
  static final String INSERT_USER =
      "INSERT INTO users (id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)";
  static final String FIND_BY_NAME = "SELECT id, username, role, password_hash FROM users WHERE username = $1";
  static final String FIND_BY_ID = "SELECT id, username, role, created_at FROM users WHERE id = $1";
  static final String LIST_USERS = "SELECT id, username, role, created_at, count(*) OVER () AS total FROM users ORDER BY username LIMIT $1 OFFSET $2";
  static final String COUNT_USERS = "SELECT count(*) FROM users";
  static final String DELETE_USER = "DELETE FROM users WHERE id = $1";
  static final String COUNT_ADMINS = "SELECT count(*) FROM users WHERE role = 'admin' AND id <> $1";
  static final String INSERT_SESSION = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
  static final String FIND_SESSION =
      "SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()";
  static final String DELETE_SESSION = "DELETE FROM sessions WHERE token_hash = $1";
  static final String SESSION_EXISTS = "SELECT 1 FROM sessions WHERE token_hash = $1";
  static final String FIND_BY_ID_ROLE = "SELECT role FROM users WHERE id = $1";

  private static final HexFormat HEX = HexFormat.of();

  private final Pool pool;
  private final OrderedLog orderedLog;

  AccountStore(Pool pool, OrderedLog orderedLog) {
    this.pool = pool;
    this.orderedLog = orderedLog;
  }

  static void register(OrderedLog orderedLog) {
    orderedLog.registerApplier(USER_CREATED, (tx, p) -> tx.preparedQuery(INSERT_USER).execute(Tuple.of(
        UUID.fromString(p.getString("id")), p.getString("username"), p.getString("passwordHash"), p.getString("role"),
        OffsetDateTime.parse(p.getString("createdAt")))).mapEmpty());
    orderedLog.registerApplier(USER_DELETED, (tx, p) -> tx.preparedQuery(DELETE_USER).execute(Tuple.of(UUID.fromString(p.getString("id")))).mapEmpty());
    orderedLog.registerApplier(SESSION_CREATED, (tx, p) -> tx.preparedQuery(INSERT_SESSION).execute(Tuple.of(
        Buffer.buffer(HEX.parseHex(p.getString("tokenHash"))), UUID.fromString(p.getString("userId")),
        OffsetDateTime.parse(p.getString("createdAt")), OffsetDateTime.parse(p.getString("expiresAt")))).mapEmpty());
    orderedLog.registerApplier(SESSION_DELETED, (tx, p) -> tx.preparedQuery(DELETE_SESSION)
        .execute(Tuple.of(Buffer.buffer(HEX.parseHex(p.getString("tokenHash"))))).mapEmpty());
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

  /** Creates the user; 409 when the name is taken (checked by the token holder, so never twice). */
  Future<JsonObject> insert(String username, String passwordHash, Role role) {
    UUID id = UUID.randomUUID();
    return orderedLog.submit(tx -> tx.preparedQuery(FIND_BY_NAME).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() > 0) {
        throw ServiceException.conflict("user '" + username + "' already exists");
      }
      JsonObject payload = new JsonObject().put("id", id.toString()).put("username", username).put("passwordHash", passwordHash)
          .put("role", role.wire()).put("createdAt", now());
      return Decision.record(USER_CREATED, payload, new JsonObject());
    })).compose(v -> pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id))).map(rows -> userJson(rows.iterator().next()));
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
    return orderedLog.submit(tx -> tx.preparedQuery(COUNT_ADMINS).execute(Tuple.of(id))
        .compose(admins -> tx.preparedQuery(FIND_BY_ID_ROLE).execute(Tuple.of(id)).map(found -> {
          if (found.size() == 0) {
            throw ServiceException.notFound("no user with id " + id);
          }
          boolean isAdmin = "admin".equals(found.iterator().next().getString("role"));
          if (isAdmin && admins.iterator().next().getLong(0) == 0) {
            throw ServiceException.conflict("cannot delete the last admin");
          }
          return Decision.record(USER_DELETED, new JsonObject().put("id", id.toString()), new JsonObject());
        }))).mapEmpty();
  }

  Future<Void> insertSession(byte[] tokenHash, UUID userId, OffsetDateTime expires) {
    JsonObject payload = new JsonObject().put("tokenHash", HEX.formatHex(tokenHash)).put("userId", userId.toString())
        .put("createdAt", now()).put("expiresAt", expires.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString());
    return orderedLog.submit(tx -> tx.preparedQuery(FIND_BY_ID_ROLE).execute(Tuple.of(userId)).map(found -> {
      if (found.size() == 0) {
        throw new ServiceException(401, "invalid username or password");
      }
      return Decision.record(SESSION_CREATED, payload, new JsonObject());
    })).mapEmpty();
  }

  Future<JsonObject> findSession(byte[] tokenHash) {
    return pool.preparedQuery(FIND_SESSION).execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : userJson(rows.iterator().next()));
  }

  Future<Void> deleteSession(byte[] tokenHash) {
    return orderedLog.submit(tx -> tx.preparedQuery(SESSION_EXISTS).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> rows.size() == 0
        ? Decision.nothing(new JsonObject())
        : Decision.record(SESSION_DELETED, new JsonObject().put("tokenHash", HEX.formatHex(tokenHash)), new JsonObject()))).mapEmpty();
  }

  private static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString();
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
