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
  /** Published (local) when sessions end: {token} on logout, {userId} when a user is deleted or their password changes. */
  public static final String SESSIONS_REVOKED = "security.session.revoked";

  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) s$");

  /** The seconds a 429/503 refusal asks the caller to wait (for a {@code Retry-After} header), or -1. */
  public static long retryAfterSeconds(String refusal) {
    Matcher m = RETRY_AFTER.matcher(refusal == null ? "" : refusal);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
