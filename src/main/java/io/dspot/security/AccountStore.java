package io.dspot.security;

import io.dspot.bus.ServiceException;
import io.dspot.log.Applier;
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
  /** A session's idle deadline moved forward (sliding expiry, in coarse steps: see {@link SessionClock}). */
  static final String SESSION_TOUCHED = "session.touched";
  /** Every session past either deadline at {@code before} is dropped. */
  static final String SESSIONS_PURGED = "sessions.purged";
  /** A new password hash; every session of the user ends except {@code keepTokenHash} (the changer's own). */
  static final String PASSWORD_CHANGED = "user.password.changed";

  /**
   * A rebuild from peers starts without accounts. DELETE, not TRUNCATE: playlists reference their
   * owners, and the ON DELETE CASCADE takes sessions (and any playlist left) along.
   */
  static final String WIPE = "DELETE FROM users";
  static final String INSERT_USER =
      "INSERT INTO users (id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)";
  /** Login is case-insensitive; V3's unique index on lower(username) makes this at most one row. */
  static final String FIND_BY_NAME = "SELECT id, username, role, password_hash FROM users WHERE lower(username) = lower($1)";
  static final String FIND_HASH_BY_ID = "SELECT id, username, role, password_hash FROM users WHERE id = $1";
  static final String SET_PASSWORD = "UPDATE users SET password_hash = $2 WHERE id = $1";
  static final String DELETE_OTHER_SESSIONS = "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)";
  static final String FIND_BY_ID = "SELECT id, username, role, created_at FROM users WHERE id = $1";
  static final String LIST_USERS = "SELECT id, username, role, created_at, count(*) OVER () AS total FROM users ORDER BY username LIMIT $1 OFFSET $2";
  static final String COUNT_USERS = "SELECT count(*) FROM users";
  static final String DELETE_USER = "DELETE FROM users WHERE id = $1";
  static final String COUNT_ADMINS = "SELECT count(*) FROM users WHERE role = 'admin' AND id <> $1";
  static final String INSERT_SESSION =
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, idle_until) VALUES ($1, $2, $3, $4, $5)";
  static final String FIND_SESSION = "SELECT u.id, u.username, u.role, s.idle_until FROM sessions s JOIN users u ON u.id = s.user_id"
      + " WHERE s.token_hash = $1 AND s.expires_at > now() AND (s.idle_until IS NULL OR s.idle_until > now())";
  /** Only ever forward, and never past the absolute end. */
  static final String TOUCH_SESSION = "UPDATE sessions SET idle_until = LEAST($2, expires_at)"
      + " WHERE token_hash = $1 AND (idle_until IS NULL OR idle_until < $2)";
  static final String ANY_EXPIRED = "SELECT 1 FROM sessions WHERE expires_at <= $1 OR idle_until <= $1 LIMIT 1";
  static final String PURGE_SESSIONS = "DELETE FROM sessions WHERE expires_at <= $1 OR idle_until <= $1";
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
        tokenHash(p), UUID.fromString(p.getString("userId")), OffsetDateTime.parse(p.getString("createdAt")),
        OffsetDateTime.parse(p.getString("expiresAt")), time(p.getString("idleUntil")))).mapEmpty());
    orderedLog.registerApplier(SESSION_DELETED, (tx, p) -> tx.preparedQuery(DELETE_SESSION).execute(Tuple.of(tokenHash(p))).mapEmpty());
    orderedLog.registerApplier(SESSION_TOUCHED, Applier.pipelined((tx, p) -> tx.preparedQuery(TOUCH_SESSION)
        .execute(Tuple.of(tokenHash(p), time(p.getString("idleUntil")))).mapEmpty()));
    orderedLog.registerApplier(SESSIONS_PURGED, (tx, p) -> tx.preparedQuery(PURGE_SESSIONS)
        .execute(Tuple.of(time(p.getString("before")))).mapEmpty());
    orderedLog.registerApplier(PASSWORD_CHANGED, (tx, p) -> {
      UUID id = UUID.fromString(p.getString("id"));
      String keep = p.getString("keepTokenHash");
      return tx.preparedQuery(SET_PASSWORD).execute(Tuple.of(id, p.getString("passwordHash")))
          .compose(v -> tx.preparedQuery(DELETE_OTHER_SESSIONS).execute(Tuple.of(id, keep == null ? null : Buffer.buffer(HEX.parseHex(keep)))))
          .mapEmpty();
    });
  }

  private static Buffer tokenHash(JsonObject payload) {
    return Buffer.buffer(HEX.parseHex(payload.getString("tokenHash")));
  }

  private static OffsetDateTime time(String iso) {
    return iso == null ? null : OffsetDateTime.parse(iso);
  }

  static String iso(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString();
  }

  record StoredUser(UUID id, String username, String role, String passwordHash) {}

  /** A resolved session: who, and the idle deadline as stored (null for sessions older than idle expiry). */
  record ResolvedSession(JsonObject user, OffsetDateTime idleUntil) {}

  Future<StoredUser> findByName(String username) {
    return pool.preparedQuery(FIND_BY_NAME).execute(Tuple.of(username)).map(AccountStore::storedUser);
  }

  Future<StoredUser> findById(UUID id) {
    return pool.preparedQuery(FIND_HASH_BY_ID).execute(Tuple.of(id)).map(AccountStore::storedUser);
  }

  private static StoredUser storedUser(io.vertx.sqlclient.RowSet<Row> rows) {
    if (rows.size() == 0) {
      return null;
    }
    Row r = rows.iterator().next();
    return new StoredUser(r.getUUID("id"), r.getString("username"), r.getString("role"), r.getString("password_hash"));
  }

  /** Creates the user; 409 when the name is taken in any case (checked by the token holder, so never twice). */
  Future<JsonObject> insert(String username, String passwordHash, Role role) {
    UUID id = UUID.randomUUID();
    return orderedLog.submit(tx -> tx.preparedQuery(FIND_BY_NAME).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() > 0) {
        throw ServiceException.conflict("user '" + rows.iterator().next().getString("username") + "' already exists"
            + (rows.iterator().next().getString("username").equals(username) ? "" : " (usernames ignore case)"));
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

  /** Sets the user's password hash and ends all their sessions but {@code keepTokenHash} (null: all), on every node. */
  Future<Void> changePassword(UUID id, String passwordHash, byte[] keepTokenHash) {
    JsonObject payload = new JsonObject().put("id", id.toString()).put("passwordHash", passwordHash);
    if (keepTokenHash != null) {
      payload.put("keepTokenHash", HEX.formatHex(keepTokenHash));
    }
    return orderedLog.submit(tx -> tx.preparedQuery(FIND_BY_ID_ROLE).execute(Tuple.of(id)).map(found -> {
      if (found.size() == 0) {
        throw ServiceException.notFound("no user with id " + id);
      }
      return Decision.record(PASSWORD_CHANGED, payload, new JsonObject());
    })).mapEmpty();
  }

  Future<Void> insertSession(byte[] tokenHash, UUID userId, OffsetDateTime expires, OffsetDateTime idleUntil) {
    JsonObject payload = new JsonObject().put("tokenHash", HEX.formatHex(tokenHash)).put("userId", userId.toString())
        .put("createdAt", now()).put("expiresAt", iso(expires)).put("idleUntil", iso(idleUntil));
    return orderedLog.submit(tx -> tx.preparedQuery(FIND_BY_ID_ROLE).execute(Tuple.of(userId)).map(found -> {
      if (found.size() == 0) {
        throw new ServiceException(401, "invalid username or password");
      }
      return Decision.record(SESSION_CREATED, payload, new JsonObject());
    })).mapEmpty();
  }

  Future<ResolvedSession> findSession(byte[] tokenHash) {
    return pool.preparedQuery(FIND_SESSION).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new ResolvedSession(userJson(r), r.getOffsetDateTime("idle_until"));
    });
  }

  /** Moves the session's idle deadline forward on every node. */
  Future<Void> touchSession(byte[] tokenHash, OffsetDateTime idleUntil) {
    JsonObject payload = new JsonObject().put("tokenHash", HEX.formatHex(tokenHash)).put("idleUntil", iso(idleUntil));
    return orderedLog.submit(tx -> Future.succeededFuture(Decision.record(SESSION_TOUCHED, payload, new JsonObject()))).mapEmpty();
  }

  /**
   * Drops sessions past either deadline, through the log so every node's table stays the same
   * (an expired session is refused anyway; this only keeps the table from growing). Nothing is
   * recorded when there is nothing to drop, so idle nodes add no events.
   */
  Future<Void> purgeExpired() {
    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    return pool.preparedQuery(ANY_EXPIRED).execute(Tuple.of(before)).compose(local -> local.size() == 0
        ? Future.succeededFuture()
        : orderedLog.submit(tx -> tx.preparedQuery(ANY_EXPIRED).execute(Tuple.of(before)).map(rows -> rows.size() == 0
            ? Decision.nothing(new JsonObject())
            : Decision.record(SESSIONS_PURGED, new JsonObject().put("before", iso(before)), new JsonObject()))).mapEmpty());
  }

  Future<Void> deleteSession(byte[] tokenHash) {
    return orderedLog.submit(tx -> tx.preparedQuery(SESSION_EXISTS).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> rows.size() == 0
        ? Decision.nothing(new JsonObject())
        : Decision.record(SESSION_DELETED, new JsonObject().put("tokenHash", HEX.formatHex(tokenHash)), new JsonObject()))).mapEmpty();
  }

  private static String now() {
    return iso(OffsetDateTime.now(ZoneOffset.UTC));
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
