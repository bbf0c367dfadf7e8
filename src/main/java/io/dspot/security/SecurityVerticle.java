package io.dspot.security;

import io.dspot.bus.BusService;
import io.dspot.bus.LruCache;
import io.dspot.bus.ServiceException;
import io.dspot.config.NodeConfig;
import io.dspot.log.LogAddresses;
import io.dspot.log.OrderedLog;
import io.dspot.bus.Ids;
import io.dspot.bus.Paging;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accounts and sessions: the security module's front door on the event bus. */
public final class SecurityVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SecurityVerticle.class);
  /** Resolved sessions are remembered briefly so streaming does not hit the database per request. */
  private static final long CACHE_MILLIS = 10_000;
  private static final String WRONG_CREDENTIALS = "invalid username or password";
  /** Throttle keys remembered per node; the least recently seen are forgotten first. */
  private static final int THROTTLE_KEYS = 100_000;

  private final Pool pool;
  private final NodeConfig.Admin adminConfig;
  private final NodeConfig.Accounts accounts;
  private final Path dataDir;
  private final SessionClock clock;
  private final PasswordPolicy policy = PasswordPolicy.bundled();
  private final LoginThrottle throttle;
  private final LruCache<String, JsonObject> cache;
  /** Sessions whose idle deadline is being moved right now, so a burst of requests moves it once. */
  private final Set<String> touching = new HashSet<>();
  private AccountStore store;
  private BusService bus;
  private HashingQueue hashing;
  private long purgeTimer = -1;
  /** The admin password file written by this start, until the account it belongs to exists. */
  private Path generatedPasswordFile;
  private boolean purging;

  private final OrderedLog orderedLog;
  private final AppPasswordCipher appPasswordCipher;
  private AppPasswords appPasswords;

  /** {@code clusterSecret}: what every member knows and the database does not; app passwords are sealed under a key derived from it. */
  public SecurityVerticle(Pool pool, NodeConfig.Admin adminConfig, NodeConfig.Accounts accounts, Path dataDir, OrderedLog orderedLog,
      String clusterSecret) {
    this.appPasswordCipher = new AppPasswordCipher(clusterSecret);
    this.pool = pool;
    this.adminConfig = adminConfig;
    this.accounts = accounts;
    this.dataDir = dataDir;
    this.orderedLog = orderedLog;
    this.clock = new SessionClock(Duration.ofSeconds(accounts.sessionLifetimeSeconds()), Duration.ofSeconds(accounts.sessionIdleSeconds()));
    // A quarter of the hashing queue per account or address: one sender can never fill it alone.
    this.throttle = new LoginThrottle(accounts.loginFreeFailures(), accounts.loginMaxBackoffSeconds() * 1_000,
        Math.max(1, accounts.maxPendingHashes() / 4), THROTTLE_KEYS);
    this.cache = LruCache.expiring(10_000, clock.cacheMillis(CACHE_MILLIS));
    AccountStore.register(orderedLog);
    AppPasswords.register(orderedLog);
    orderedLog.onRebuild(tx -> tx.query(AccountStore.WIPE).execute().mapEmpty());
  }

  @Override
  public Future<?> start() {
    store = new AccountStore(pool, orderedLog);
    appPasswords = new AppPasswords(pool, orderedLog, appPasswordCipher);
    // Its own few threads: a login flood waits here, never in the pool that JDBC and uploads share.
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    hashing = new HashingQueue(vertx.createSharedWorkerExecutor("dspot-password-hashing", threads), accounts.maxPendingHashes());
    bus = new BusService(vertx)
        .on(SecurityAddresses.LOGIN, this::login)
        .on(SecurityAddresses.RESOLVE, this::resolve)
        .on(SecurityAddresses.LOGOUT, this::logout)
        .on(SecurityAddresses.USER_LIST, body -> store.list(Paging.limit(body), Paging.offset(body)))
        .on(SecurityAddresses.USER_CREATE, this::createUser)
        .on(SecurityAddresses.USER_DELETE, this::deleteUser)
        .on(SecurityAddresses.PASSWORD_CHANGE, this::changePassword)
        .on(SecurityAddresses.PASSWORD_RESET, this::resetPassword)
        .on(SecurityAddresses.APP_PASSWORD_GET, appPasswords::status)
        .on(SecurityAddresses.APP_PASSWORD_SET, this::setAppPassword)
        .on(SecurityAddresses.APP_PASSWORD_DELETE, appPasswords::revoke)
        .on(SecurityAddresses.APP_LOGIN, this::appLogin);
    // Sessions and users change through events; every node drops what it cached on applying them.
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED_PREFIX + AccountStore.SESSION_DELETED, m -> {
      cache.clear();
      revoked();
    });
    for (String appPasswordEvent : new String[] {AppPasswords.SET, AppPasswords.REVOKED}) {
      vertx.eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED_PREFIX + appPasswordEvent, m -> revoked());
    }
    for (String userEvent : new String[] {AccountStore.USER_DELETED, AccountStore.PASSWORD_CHANGED}) {
      vertx.eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED_PREFIX + userEvent, m -> sessionsEnded(m.body().getString("id")));
    }
    purgeTimer = vertx.setPeriodic(accounts.sessionPurgeSeconds() * 1_000, t -> purgeExpiredSessions());
    return bootstrapAdmin().compose(v -> bus.ready());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(purgeTimer);
    return bus.close().compose(v -> hashing.close());
  }

  private void purgeExpiredSessions() {
    if (purging) {
      return;
    }
    purging = true;
    store.purgeExpired()
        .onFailure(e -> log.debug("expired sessions not purged this time: {}", e.getMessage()))
        .onComplete(done -> purging = false);
  }

  /**
   * The first start creates the admin account, from config/env or with a random password written
   * to a 0600 file in the data directory (never to the log). Through the ring, so a cluster gets
   * one admin however many nodes start at once; while the cluster has no majority yet it retries in
   * the background instead of failing the start.
   */
  private Future<Void> bootstrapAdmin() {
    String username = adminConfig.username();
    boolean generated = adminConfig.password() == null || adminConfig.password().isBlank();
    String password = generated ? PasswordHasher.randomSecret(18) : adminConfig.password();
    if (!generated && policy.problem(username, password) != null) {
      log.warn("the configured admin.password is weak ({}); change it in the web player once logged in", policy.problem(username, password));
    }
    return hashing.submit(() -> PasswordHasher.hash(password)).compose(hash -> {
      Future<Void> attempt = createAdmin(username, hash, password, generated);
      return attempt.recover(e -> {
        log.info("admin account not created yet ({}); retrying in the background", e.getMessage());
        retryAdmin(username, hash, password, generated);
        return Future.succeededFuture();
      });
    });
  }

  private void retryAdmin(String username, String hash, String password, boolean generated) {
    vertx.setTimer(2_000, t -> createAdmin(username, hash, password, generated)
        .onFailure(e -> retryAdmin(username, hash, password, generated)));
  }

  /**
   * A generated password is written to its file before the account exists, so a failed write
   * stops the start instead of leaving an admin nobody can log in as. If another node created the
   * admin meanwhile, the file this start wrote is removed again: its password opens nothing.
   */
  private Future<Void> createAdmin(String username, String hash, String password, boolean generated) {
    return store.findByName(username).compose(existing -> {
      if (existing != null) {
        // Our own hash: an earlier attempt of this start committed, but its answer was lost.
        boolean ours = existing.passwordHash().equals(hash);
        return ours ? announceAdmin(username, generated) : forgetGeneratedPassword();
      }
      Future<Void> kept = generated
          ? vertx.executeBlocking(() -> AdminPasswordFile.write(dataDir, password)).map(file -> {
            generatedPasswordFile = file;
            return null;
          })
          : Future.succeededFuture();
      return kept.compose(v -> store.insert(username, hash, Role.ADMIN))
          .compose(u -> announceAdmin(username, generated))
          .recover(e -> e instanceof ServiceException se && se.status == 409 ? forgetGeneratedPassword() : Future.failedFuture(e));
    });
  }

  private Future<Void> announceAdmin(String username, boolean generated) {
    if (generated) {
      log.warn("created user '{}' with a generated password, written to {} (readable by this user only);"
          + " log in, change it, then delete the file. Set DSPOT_ADMIN_PASSWORD to choose it instead.", username, generatedPasswordFile);
    } else {
      log.info("created user '{}' with the configured password", username);
    }
    return Future.succeededFuture();
  }

  /** Removes the password file this start wrote (never one an earlier start left: that one is real). */
  private Future<Void> forgetGeneratedPassword() {
    Path file = generatedPasswordFile;
    generatedPasswordFile = null;
    return file == null ? Future.succeededFuture() : vertx.executeBlocking(() -> java.nio.file.Files.deleteIfExists(file)).mapEmpty();
  }

  private Future<JsonObject> login(JsonObject body) {
    String username = body.getString("username");
    String password = body.getString("password");
    if (username == null || password == null || username.isEmpty() || password.isEmpty()) {
      return Future.failedFuture(ServiceException.badRequest("username and password are required"));
    }
    if (username.length() > 256 || password.length() > PasswordPolicy.MAX_LENGTH) {
      return Future.failedFuture(new ServiceException(401, WRONG_CREDENTIALS));
    }
    LoginThrottle.Attempt attempt = attempt(username, body.getString("clientAddress"));
    return throttled(attempt, () -> store.findByName(username).compose(user -> hashing.submit(() ->
        // Hash even for unknown users so response time does not reveal which names exist.
        PasswordHasher.verify(password, user == null ? PasswordHasher.DUMMY : user.passwordHash()) && user != null
            ? user : null)))
        .compose(user -> {
          String token = PasswordHasher.randomSecret(32);
          OffsetDateTime now = OffsetDateTime.now();
          return store.insertSession(SessionToken.hash(token), user.id(), clock.expiresAt(now), clock.idleUntil(now))
              .map(v -> new JsonObject()
                  .put("token", token)
                  .put("expiresInSeconds", clock.lifetimeSeconds())
                  .put("user", new JsonObject().put("id", user.id().toString()).put("username", user.username()).put("role", user.role())));
        });
  }

  /**
   * Runs a password check under the throttle: refused at once (429) while a key backs off; a null
   * result is a wrong password (401, counted), a refusal before any comparison counts for nothing.
   */
  private Future<AccountStore.StoredUser> throttled(LoginThrottle.Attempt attempt, Supplier<Future<AccountStore.StoredUser>> check) {
    LoginThrottle.Verdict verdict = throttle.begin(System.currentTimeMillis(), attempt);
    if (!verdict.allowed()) {
      return Future.failedFuture(new ServiceException(429,
          "too many login attempts for this account or from this address; retry after " + verdict.retryAfterSeconds() + " s"));
    }
    Future<AccountStore.StoredUser> checked;
    try {
      checked = check.get();
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked.transform(done -> {
      LoginThrottle.Outcome outcome = done.failed() ? LoginThrottle.Outcome.NOT_CHECKED
          : done.result() == null ? LoginThrottle.Outcome.FAILED : LoginThrottle.Outcome.SUCCEEDED;
      throttle.finished(System.currentTimeMillis(), outcome, attempt);
      if (outcome == LoginThrottle.Outcome.FAILED) {
        return Future.failedFuture(new ServiceException(401, WRONG_CREDENTIALS));
      }
      return done.failed() ? Future.failedFuture(done.cause()) : Future.succeededFuture(done.result());
    });
  }

  private static LoginThrottle.Attempt attempt(String username, String clientAddress) {
    return new LoginThrottle.Attempt(username.toLowerCase(Locale.ROOT), clientAddress == null || clientAddress.isBlank() ? null : clientAddress);
  }

  private Future<JsonObject> resolve(JsonObject body) {
    String token = body.getString("token");
    if (!SessionToken.plausible(token)) {
      return Future.failedFuture(new ServiceException(401, "not logged in"));
    }
    JsonObject cached = cache.get(token);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    byte[] tokenHash = SessionToken.hash(token);
    return store.findSession(tokenHash).map(session -> {
      if (session == null) {
        cache.remove(token);
        throw new ServiceException(401, "session expired or logged out");
      }
      slideIdleDeadline(tokenHash, session.idleUntil());
      cache.put(token, session.user());
      return session.user();
    });
  }

  /** Moves the idle deadline when it is a step behind; the request does not wait for it. */
  private void slideIdleDeadline(byte[] tokenHash, OffsetDateTime idleUntil) {
    OffsetDateTime now = OffsetDateTime.now();
    String key = java.util.HexFormat.of().formatHex(tokenHash);
    if (!clock.shouldExtend(idleUntil, now) || !touching.add(key)) {
      return;
    }
    store.touchSession(tokenHash, clock.idleUntil(now))
        .onFailure(e -> log.debug("session idle deadline not moved: {}", e.getMessage()))
        .onComplete(done -> touching.remove(key));
  }

  private Future<Void> logout(JsonObject body) {
    String token = body.getString("token");
    if (!SessionToken.plausible(token)) {
      return Future.succeededFuture();
    }
    cache.remove(token);
    return store.deleteSession(SessionToken.hash(token))
        .onSuccess(v -> revoked());
  }

  private Future<JsonObject> createUser(JsonObject body) {
    String username = body.getString("username");
    String password = body.getString("password");
    Role role = Role.parse(body.getString("role", "listener"));
    if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
      return Future.failedFuture(ServiceException.badRequest("username must be 1-64 letters, digits or . _ @ -"));
    }
    if (role == null) {
      return Future.failedFuture(ServiceException.badRequest("role must be 'admin' or 'listener'"));
    }
    policy.check(username, password);
    return hashing.submit(() -> PasswordHasher.hash(password)).compose(hash -> store.insert(username, hash, role));
  }

  private Future<Void> deleteUser(JsonObject body) {
    UUID id = Ids.parse(body.getString("id"), "user");
    if (id.toString().equals(body.getString("callerId"))) {
      return Future.failedFuture(ServiceException.conflict("you cannot delete your own account"));
    }
    return store.delete(id);
  }

  /**
   * The caller's own password, the current one required (throttled like a login: a stolen session
   * must not become a password oracle). Every other session of the caller ends on every node.
   */
  private Future<Void> changePassword(JsonObject body) {
    UUID id = Ids.parse(body.getString("callerId"), "user");
    String oldPassword = body.getString("oldPassword");
    String newPassword = body.getString("newPassword");
    if (oldPassword == null || oldPassword.isEmpty() || newPassword == null) {
      return Future.failedFuture(ServiceException.badRequest("oldPassword and newPassword are required"));
    }
    if (oldPassword.equals(newPassword)) {
      return Future.failedFuture(ServiceException.badRequest("the new password must differ from the current one"));
    }
    return store.findById(id).compose(user -> {
      if (user == null) {
        return Future.failedFuture(new ServiceException(401, "not logged in"));
      }
      policy.check(user.username(), newPassword);
      return currentPasswordChecked(user, oldPassword, body.getString("clientAddress"))
          .compose(ok -> hashing.submit(() -> PasswordHasher.hash(newPassword)))
          .compose(hash -> store.changePassword(id, hash, callerTokenHash(body)))
          .onSuccess(v -> sessionsEnded(id.toString()));
    });
  }

  /** The account's own password, checked under the login throttle (a stolen session must not become a password oracle); 403 if wrong. */
  private Future<AccountStore.StoredUser> currentPasswordChecked(AccountStore.StoredUser user, String password, String clientAddress) {
    return throttled(attempt(user.username(), clientAddress), () -> hashing.submit(() -> PasswordHasher.verify(password, user.passwordHash()) ? user : null))
        .recover(e -> Future.failedFuture(e instanceof ServiceException se && se.status == 401
            ? ServiceException.forbidden("the current password is wrong") : e));
  }

  /**
   * Sets the caller's Subsonic app password (the one given, or a generated one handed back once),
   * the account password required and throttled as for {@link #changePassword}.
   */
  private Future<JsonObject> setAppPassword(JsonObject body) {
    UUID id = Ids.parse(body.getString("callerId"), "user");
    String current = body.getString("currentPassword");
    String chosen = body.getString("password");
    if (current == null || current.isEmpty()) {
      return Future.failedFuture(ServiceException.badRequest("currentPassword is required"));
    }
    return store.findById(id).compose(user -> {
      if (user == null) {
        return Future.failedFuture(new ServiceException(401, "not logged in"));
      }
      if (chosen != null) {
        policy.check(user.username(), chosen);
      }
      return currentPasswordChecked(user, current, body.getString("clientAddress"))
          .compose(ok -> chosen == null ? appPasswords.set(id, AppPasswords.generate(), true) : appPasswords.set(id, chosen, false))
          .onSuccess(v -> revoked());
    });
  }

  /** A Subsonic client's credentials ({@code apiKey}, {@code password}, or {@code token} + {@code salt}), throttled like a login. */
  private Future<JsonObject> appLogin(JsonObject body) {
    String apiKey = body.getString("apiKey");
    if (apiKey != null) {
      if (apiKey.length() > 2 * PasswordPolicy.MAX_LENGTH) {
        return Future.failedFuture(new ServiceException(401, "invalid API key"));
      }
      UUID named = AppPasswords.keyUser(apiKey);
      // Throttled under the user the key names (or the key's first characters, for a malformed one) and the address.
      String account = named != null ? named.toString() : apiKey.substring(0, Math.min(16, apiKey.length()));
      return throttled(attempt(account, body.getString("clientAddress")), () -> appPasswords.checkKey(apiKey)).map(SecurityVerticle::appUser);
    }
    String username = body.getString("username");
    String password = body.getString("password");
    String token = body.getString("token");
    String salt = body.getString("salt");
    if (username == null || username.isEmpty() || (password == null && (token == null || salt == null))) {
      return Future.failedFuture(ServiceException.badRequest("username and a password or a token and salt are required"));
    }
    if (username.length() > 256 || (password != null && password.length() > PasswordPolicy.MAX_LENGTH)
        || (salt != null && salt.length() > PasswordPolicy.MAX_LENGTH)) {
      return Future.failedFuture(new ServiceException(401, WRONG_CREDENTIALS));
    }
    return throttled(attempt(username, body.getString("clientAddress")), () -> appPasswords.check(username, password, token, salt))
        .map(SecurityVerticle::appUser);
  }

  private static JsonObject appUser(AccountStore.StoredUser user) {
    return new JsonObject().put("id", user.id().toString()).put("username", user.username()).put("role", user.role());
  }

  /** An admin sets a user's password; all that user's sessions end (the admin's own stays, if it is theirs). */
  private Future<Void> resetPassword(JsonObject body) {
    UUID id = Ids.parse(body.getString("id"), "user");
    String password = body.getString("password");
    return store.findById(id).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ServiceException.notFound("no user with id " + id));
      }
      policy.check(user.username(), password);
      return hashing.submit(() -> PasswordHasher.hash(password))
          .compose(hash -> store.changePassword(id, hash, callerTokenHash(body)))
          .onSuccess(v -> sessionsEnded(id.toString()));
    });
  }

  /**
   * Forgets a user's cached sessions here and on every HTTP event loop of this node. Also called
   * before a password change or reset is answered, not only when its event is applied, so the
   * user's next request with an ended session finds nothing cached anywhere on this node.
   */
  private void sessionsEnded(String userId) {
    cache.removeIf(user -> userId.equals(user.getString("id")));
    revoked();
  }

  /** The HTTP event loops drop their cached sessions at their next request (synchronously visible, unlike a bus notice). */
  private void revoked() {
    vertx.sharedData().<String, Long>getLocalMap(SecurityAddresses.REVOCATIONS)
        .compute(SecurityAddresses.REVOCATION_EPOCH, (key, epoch) -> epoch == null ? 1L : epoch + 1);
  }

  private static byte[] callerTokenHash(JsonObject body) {
    String token = body.getString("token");
    return SessionToken.plausible(token) ? SessionToken.hash(token) : null;
  }

  /** Session tokens: random, only their SHA-256 is stored. */
  static final class SessionToken {
    private SessionToken() {}

    static boolean plausible(String token) {
      return token != null && token.length() >= 20 && token.length() <= 100 && token.matches("[A-Za-z0-9_-]+");
    }

    static byte[] hash(String token) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }

}
