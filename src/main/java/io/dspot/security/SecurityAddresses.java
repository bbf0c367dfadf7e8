package io.dspot.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Event-bus addresses of the security module; bodies are JSON objects. */
public final class SecurityAddresses {
  private SecurityAddresses() {}

  /**
   * {username, password, clientAddress} → {token, user}; 401 on any mismatch, 429 while the
   * account or the address is backing off, 503 when too many passwords are being checked. A 429 or
   * 503 message ends with "retry after N s": see {@link #retryAfterSeconds}.
   */
  public static final String LOGIN = "security.session.create";
  /** {token} → user {id, username, role}; 401 if unknown or expired. */
  public static final String RESOLVE = "security.session.resolve";
  /** {token} → nothing. */
  public static final String LOGOUT = "security.session.delete";
  /** {limit, offset} → page of users. */
  public static final String USER_LIST = "security.user.list";
  /** {username, password, role} → user; 409 if the name is taken (ignoring case), 400 if the password is refused. */
  public static final String USER_CREATE = "security.user.create";
  /** {id, callerId} → nothing. */
  public static final String USER_DELETE = "security.user.delete";
  /**
   * {oldPassword, newPassword, token, callerId, clientAddress} → nothing: the caller's own password;
   * every other session of the caller ends on every node. 403 if the old password is wrong.
   */
  public static final String PASSWORD_CHANGE = "security.user.password.change";
  /** {id, password, token} → nothing: an admin sets a user's password; that user's sessions end. */
  public static final String PASSWORD_RESET = "security.user.password.reset";
  /** {callerId} → {set, setAt?}: whether the caller has a Subsonic app password (never the password). */
  public static final String APP_PASSWORD_GET = "security.app-password.get";
  /**
   * {callerId, currentPassword, password?, clientAddress} → {set, setAt, apiKey, password?}: sets the
   * caller's Subsonic app password; without {@code password} one is generated and answered this
   * once; {@code apiKey} (OpenSubsonic) carries the password and goes with it. 403 if currentPassword is wrong, 400 if the chosen one is refused, 429 while throttled.
   */
  public static final String APP_PASSWORD_SET = "security.app-password.set";
  /** {callerId} → nothing: the caller's app password stops working on every node. */
  public static final String APP_PASSWORD_DELETE = "security.app-password.delete";
  /**
   * {username, password | token + salt, clientAddress} or {apiKey, clientAddress} → user {id,
   * username, role}: a Subsonic client's credentials against the app password (token = md5(password
   * + salt), hex; the API key is the one {@link #APP_PASSWORD_SET} answered). 401 on any mismatch,
   * 429 while the account or address backs off (as for {@link #LOGIN}).
   */
  public static final String APP_LOGIN = "security.app-password.login";
  /**
   * A node-local shared map ({@code vertx.sharedData().getLocalMap}) whose {@link #REVOCATION_EPOCH}
   * goes up whenever sessions end here (logout, a user deleted, a password changed or reset, such
   * an event applied from another node), before the call that ended them is answered. Every HTTP
   * event loop's session cache compares it at each request: a bus notice could reach a loop after
   * the user's next request (CI saw a reset user's session still answer 200).
   */
  public static final String REVOCATIONS = "security.session.revocations";
  public static final String REVOCATION_EPOCH = "epoch";

  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) s$");

  /** The seconds a 429/503 refusal asks the caller to wait (for a {@code Retry-After} header), or -1. */
  public static long retryAfterSeconds(String refusal) {
    Matcher m = RETRY_AFTER.matcher(refusal == null ? "" : refusal);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
