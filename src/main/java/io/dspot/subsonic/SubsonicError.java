package io.dspot.subsonic;

/**
 * A Subsonic error answer ({@code <error code=".." message=".."/>}, HTTP 200 as clients expect).
 * Codes of the Subsonic 1.16.1 API and OpenSubsonic.
 */
final class SubsonicError extends RuntimeException {

  static final int GENERIC = 0;
  static final int MISSING_PARAMETER = 10;
  static final int WRONG_CREDENTIALS = 40;
  static final int CONFLICTING_MECHANISMS = 43;
  static final int INVALID_API_KEY = 44;
  static final int NOT_AUTHORIZED = 50;
  static final int NOT_FOUND = 70;

  final int code;

  SubsonicError(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static SubsonicError missing(String parameter) {
    return new SubsonicError(MISSING_PARAMETER, "required parameter is missing: " + parameter);
  }

  static SubsonicError notFound(String message) {
    return new SubsonicError(NOT_FOUND, message);
  }

  /**
   * A module's refusal over the bus, as a Subsonic code: 404 → 70 (not found), 403 → 50, 401 and
   * 429 → 40, a refused value (400) → 0 with the module's reason; anything else a generic 0.
   */
  static SubsonicError fromStatus(int status, String message) {
    return switch (status) {
      case 404 -> new SubsonicError(NOT_FOUND, message);
      case 403 -> new SubsonicError(NOT_AUTHORIZED, message);
      case 401, 429 -> new SubsonicError(WRONG_CREDENTIALS, message);
      default -> new SubsonicError(GENERIC, status >= 500 ? "the server could not answer now; try again" : message);
    };
  }
}
