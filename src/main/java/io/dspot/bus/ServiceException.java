package io.dspot.bus;

/**
 * A refusal a module sends back over the event bus; {@code status} is the HTTP status the web
 * front door answers with (400, 401, 403, 404, 409, 503, 507...).
 */
public final class ServiceException extends RuntimeException {
  public final int status;

  public ServiceException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static ServiceException badRequest(String message) {
    return new ServiceException(400, message);
  }

  public static ServiceException notFound(String message) {
    return new ServiceException(404, message);
  }

  public static ServiceException forbidden(String message) {
    return new ServiceException(403, message);
  }

  public static ServiceException conflict(String message) {
    return new ServiceException(409, message);
  }
}
