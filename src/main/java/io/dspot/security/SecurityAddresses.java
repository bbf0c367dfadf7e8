package io.dspot.security;

/** Event-bus addresses of the security module; bodies are JSON objects. */
public final class SecurityAddresses {
  private SecurityAddresses() {}

  /** {username, password} → {token, user}; 401 on any mismatch. */
  public static final String LOGIN = "security.session.create";
  /** {token} → user {id, username, role}; 401 if unknown or expired. */
  public static final String RESOLVE = "security.session.resolve";
  /** {token} → nothing. */
  public static final String LOGOUT = "security.session.delete";
  /** {limit, offset} → page of users. */
  public static final String USER_LIST = "security.user.list";
  /** {username, password, role} → user; 409 if the name is taken. */
  public static final String USER_CREATE = "security.user.create";
  /** {id, callerId} → nothing. */
  public static final String USER_DELETE = "security.user.delete";
  /** Published (local) when sessions end: {token} on logout, {userId} when a user is deleted. */
  public static final String SESSIONS_REVOKED = "security.session.revoked";
}
