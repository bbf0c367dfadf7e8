package io.dspot.http;

import io.vertx.ext.web.Router;

/**
 * A module's part of the internal peer API. The module that owns the data owns its routes; the
 * internal HTTP server in {@code web} only listens on the internal address and mounts them, so
 * serving peers adds no dependency from {@code web} on any module's internals.
 */
@FunctionalInterface
public interface InternalRoutes {
  /** Adds this module's {@code /internal/...} routes; handlers answer with {@link ApiReplies}. */
  void mount(Router router);
}
