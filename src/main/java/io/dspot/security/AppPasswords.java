package io.dspot.security;

import io.dspot.bus.Ids;
import io.dspot.bus.ServiceException;
import io.dspot.log.Decision;
import io.dspot.log.OrderedLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Subsonic app passwords: one per user, set (chosen or generated) with the account password,
 * revocable, sealed by {@link AppPasswordCipher} before it reaches an event, and checked the two
 * ways Subsonic clients send it (plain, or {@code t = md5(password + s)}).
 */
final class AppPasswords {

  static final String SET = "user.subsonic.password.set";
  static final String REVOKED = "user.subsonic.password.revoked";

  static final String UPSERT = "INSERT INTO subsonic_passwords (user_id, sealed, set_at) VALUES ($1, $2, $3) "
      + "ON CONFLICT (user_id) DO UPDATE SET sealed = EXCLUDED.sealed, set_at = EXCLUDED.set_at";
  static final String DELETE = "DELETE FROM subsonic_passwords WHERE user_id = $1";
  static final String FIND = "SELECT set_at FROM subsonic_passwords WHERE user_id = $1";
  /** Login names ignore case, as for the web login. */
  static final String CREDENTIALS = "SELECT u.id, u.username, u.role, sp.sealed FROM users u "
      + "JOIN subsonic_passwords sp ON sp.user_id = u.id WHERE lower(u.username) = lower($1)";
  static final String CREDENTIALS_BY_ID = "SELECT u.id, u.username, u.role, sp.sealed FROM users u "
      + "JOIN subsonic_passwords sp ON sp.user_id = u.id WHERE u.id = $1";

  /** Generated app passwords: 18 random bytes, 24 URL-safe characters, easy to paste into a phone. */
  private static final int GENERATED_BYTES = 18;
  private static final int MAX_TOKEN_LENGTH = 64;

  private final Pool pool;
  private final OrderedLog orderedLog;
  private final AppPasswordCipher cipher;

  AppPasswords(Pool pool, OrderedLog orderedLog, AppPasswordCipher cipher) {
    this.pool = pool;
    this.orderedLog = orderedLog;
    this.cipher = cipher;
  }

  static void register(OrderedLog orderedLog) {
    orderedLog.registerApplier(SET, (tx, p) -> tx.preparedQuery(UPSERT).execute(Tuple.of(
        UUID.fromString(p.getString("id")), p.getString("sealed"), OffsetDateTime.parse(p.getString("setAt")))).mapEmpty());
    orderedLog.registerApplier(REVOKED, (tx, p) -> tx.preparedQuery(DELETE).execute(Tuple.of(UUID.fromString(p.getString("id")))).mapEmpty());
  }

  /** {set, setAt?} for the caller: never the password itself. */
  Future<JsonObject> status(JsonObject body) {
    UUID id = Ids.parse(body.getString("callerId"), "user");
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> rows.size() == 0
        ? new JsonObject().put("set", false)
        : new JsonObject().put("set", true).put("setAt", rows.iterator().next().getOffsetDateTime("set_at").toInstant().toString()));
  }

  /**
   * Seals and records {@code password} for the user (the account password was checked by the
   * caller); {@code generated} says whether to hand it back (shown once, never again).
   */
  Future<JsonObject> set(UUID userId, String password, boolean generated) {
    String setAt = AccountStore.iso(OffsetDateTime.now(ZoneOffset.UTC));
    JsonObject payload = new JsonObject().put("id", userId.toString()).put("sealed", cipher.seal(password, userId)).put("setAt", setAt);
    JsonObject answer = new JsonObject().put("set", true).put("setAt", OffsetDateTime.parse(setAt).toInstant().toString());
    if (generated) {
      answer.put("password", password);
    }
    // The caller has just typed (or been given) the password, so the key made of it is theirs to see.
    answer.put("apiKey", apiKey(userId, password));
    return orderedLog.submit(tx -> tx.preparedQuery(AccountStore.FIND_BY_ID_ROLE).execute(Tuple.of(userId)).map(found -> {
      if (found.size() == 0) {
        throw new ServiceException(401, "not logged in");
      }
      return Decision.record(SET, payload, answer);
    }));
  }

  static String generate() {
    return PasswordHasher.randomSecret(GENERATED_BYTES);
  }

  /** Forgets the caller's app password on every node; nothing recorded when there is none. */
  Future<Void> revoke(JsonObject body) {
    UUID id = Ids.parse(body.getString("callerId"), "user");
    return orderedLog.submit(tx -> tx.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> rows.size() == 0
        ? Decision.nothing(new JsonObject())
        : Decision.record(REVOKED, new JsonObject().put("id", id.toString()), new JsonObject()))).mapEmpty();
  }

  /**
   * The OpenSubsonic API key of an app password: the user's id and the password, so that it needs
   * no storage of its own and is revoked (or replaced) with the password.
   */
  static String apiKey(UUID userId, String password) {
    return userId.toString().replace("-", "") + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(password.getBytes(StandardCharsets.UTF_8));
  }

  /** The user an API key ({@link #apiKey}) names, or null when it is malformed. */
  static UUID keyUser(String apiKey) {
    int dot = apiKey == null ? -1 : apiKey.indexOf('.');
    if (dot != 32 || !apiKey.substring(0, 32).matches("[0-9a-f]{32}")) {
      return null;
    }
    String hex = apiKey.substring(0, 32);
    return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
  }

  /** The user whose current app password the API key carries, or null. */
  Future<AccountStore.StoredUser> checkKey(String apiKey) {
    UUID id = keyUser(apiKey);
    if (id == null) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery(CREDENTIALS_BY_ID).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      String stored = cipher.open(r.getString("sealed"), id);
      return stored != null && MessageDigest.isEqual(apiKey(id, stored).getBytes(StandardCharsets.US_ASCII), apiKey.getBytes(StandardCharsets.UTF_8))
          ? new AccountStore.StoredUser(id, r.getString("username"), r.getString("role"), null) : null;
    });
  }

  /**
   * The user whose app password matches, or null (a wrong password, an unknown user and a user
   * without an app password all look the same). {@code password} or {@code token} + {@code salt}.
   */
  Future<AccountStore.StoredUser> check(String username, String password, String token, String salt) {
    return pool.preparedQuery(CREDENTIALS).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      UUID id = r.getUUID("id");
      String stored = cipher.open(r.getString("sealed"), id);
      if (stored == null) {
        return null;
      }
      boolean matches = password != null
          ? MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))
          : token.length() <= MAX_TOKEN_LENGTH && MessageDigest.isEqual(md5Hex(stored + salt).getBytes(StandardCharsets.US_ASCII),
              token.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
      return matches ? new AccountStore.StoredUser(id, r.getString("username"), r.getString("role"), null) : null;
    });
  }

  static String md5Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }
}
