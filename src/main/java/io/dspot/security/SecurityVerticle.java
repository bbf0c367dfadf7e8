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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accounts and sessions: the security module's front door on the event bus. */
public final class SecurityVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SecurityVerticle.class);
  static final Duration SESSION_LIFETIME = Duration.ofDays(30);
  /** Resolved sessions are remembered briefly so streaming does not hit the database per request. */
  private static final long CACHE_MILLIS = 10_000;
  private static final String WRONG_CREDENTIALS = "invalid username or password";

  private final Pool pool;
  private final NodeConfig.Admin adminConfig;
  private AccountStore store;
  private BusService bus;
  private final LruCache<String, JsonObject> cache = LruCache.expiring(10_000, CACHE_MILLIS);

  private final OrderedLog orderedLog;

  public SecurityVerticle(Pool pool, NodeConfig.Admin adminConfig, OrderedLog orderedLog) {
    this.pool = pool;
    this.adminConfig = adminConfig;
    this.orderedLog = orderedLog;
    AccountStore.register(orderedLog);
    orderedLog.onRebuild(tx -> tx.query(AccountStore.WIPE).execute().mapEmpty());
  }

  @Override
  public Future<?> start() {
    store = new AccountStore(pool, orderedLog);
    bus = new BusService(vertx)
        .on(SecurityAddresses.LOGIN, this::login)
        .on(SecurityAddresses.RESOLVE, this::resolve)
        .on(SecurityAddresses.LOGOUT, this::logout)
        .on(SecurityAddresses.USER_LIST, body -> store.list(Paging.limit(body), Paging.offset(body)))
        .on(SecurityAddresses.USER_CREATE, this::createUser)
        .on(SecurityAddresses.USER_DELETE, this::deleteUser);
    // Sessions and users change through events; every node drops what it cached on applying them.
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED_PREFIX + AccountStore.SESSION_DELETED, m -> {
      cache.clear();
      vertx.eventBus().publish(SecurityAddresses.SESSIONS_REVOKED, new JsonObject().put("tokenHash", m.body().getString("tokenHash")));
    });
    vertx.eventBus().<JsonObject>localConsumer(LogAddresses.APPLIED_PREFIX + AccountStore.USER_DELETED, m -> {
      cache.removeIf(user -> m.body().getString("id").equals(user.getString("id")));
      vertx.eventBus().publish(SecurityAddresses.SESSIONS_REVOKED, new JsonObject().put("userId", m.body().getString("id")));
    });
    return bootstrapAdmin().compose(v -> bus.ready());
  }

  @Override
  public Future<?> stop() {
    return bus.close();
  }

  /**
   * The first start creates the admin account, from config/env or with a random password logged
   * once. Through the ring, so a cluster gets one admin however many nodes start at once; while
   * the cluster has no majority yet it retries in the background instead of failing the start.
   */
  private Future<Void> bootstrapAdmin() {
    String username = adminConfig.username();
    boolean generated = adminConfig.password() == null || adminConfig.password().isBlank();
    String password = generated ? PasswordHasher.randomSecret(12) : adminConfig.password();
    return vertx.executeBlocking(() -> PasswordHasher.hash(password)).compose(hash -> {
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

  private Future<Void> createAdmin(String username, String hash, String password, boolean generated) {
    return store.findByName(username).compose(existing -> {
      if (existing != null) {
        return Future.succeededFuture();
      }
      return store.insert(username, hash, Role.ADMIN)
          .onSuccess(u -> {
            if (generated) {
              log.warn("created user '{}' with generated password: {}  (shown once; set DSPOT_ADMIN_PASSWORD to choose it)", username, password);
            } else {
              log.info("created user '{}' with the configured password", username);
            }
          })
          .<Void>mapEmpty()
          .recover(e -> e instanceof ServiceException se && se.status == 409 ? Future.succeededFuture() : Future.failedFuture(e));
    });
  }

  private Future<JsonObject> login(JsonObject body) {
    String username = body.getString("username");
    String password = body.getString("password");
    if (username == null || password == null || username.isEmpty() || password.isEmpty()) {
      return Future.failedFuture(ServiceException.badRequest("username and password are required"));
    }
    return store.findByName(username).compose(user -> vertx.executeBlocking(() -> {
      // Hash even for unknown users so response time does not reveal which names exist.
      boolean ok = PasswordHasher.verify(password, user == null ? PasswordHasher.DUMMY : user.passwordHash());
      if (!ok || user == null) {
        throw new ServiceException(401, WRONG_CREDENTIALS);
      }
      return user;
    })).compose(user -> {
      String token = PasswordHasher.randomSecret(32);
      return store.insertSession(SessionToken.hash(token), user.id(), OffsetDateTime.now().plus(SESSION_LIFETIME))
          .map(v -> new JsonObject()
              .put("token", token)
              .put("expiresInSeconds", SESSION_LIFETIME.toSeconds())
              .put("user", new JsonObject().put("id", user.id().toString()).put("username", user.username()).put("role", user.role())));
    });
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
    return store.findSession(SessionToken.hash(token)).map(user -> {
      if (user == null) {
        cache.remove(token);
        throw new ServiceException(401, "session expired or logged out");
      }
      cache.put(token, user);
      return user;
    });
  }

  private Future<Void> logout(JsonObject body) {
    String token = body.getString("token");
    if (!SessionToken.plausible(token)) {
      return Future.succeededFuture();
    }
    cache.remove(token);
    return store.deleteSession(SessionToken.hash(token))
        .onSuccess(v -> vertx.eventBus().publish(SecurityAddresses.SESSIONS_REVOKED, new JsonObject().put("token", token)));
  }

  private Future<JsonObject> createUser(JsonObject body) {
    String username = body.getString("username");
    String password = body.getString("password");
    Role role = Role.parse(body.getString("role", "listener"));
    if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
      return Future.failedFuture(ServiceException.badRequest("username must be 1-64 letters, digits or . _ @ -"));
    }
    if (password == null || password.length() < 8 || password.length() > 1024) {
      return Future.failedFuture(ServiceException.badRequest("password must be 8 to 1024 characters"));
    }
    if (role == null) {
      return Future.failedFuture(ServiceException.badRequest("role must be 'admin' or 'listener'"));
    }
    return vertx.executeBlocking(() -> PasswordHasher.hash(password)).compose(hash -> store.insert(username, hash, role));
  }

  private Future<Void> deleteUser(JsonObject body) {
    UUID id = Ids.parse(body.getString("id"), "user");
    if (id.toString().equals(body.getString("callerId"))) {
      return Future.failedFuture(ServiceException.conflict("you cannot delete your own account"));
    }
    return store.delete(id);
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
