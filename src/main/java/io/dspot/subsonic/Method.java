package io.dspot.subsonic;

import io.vertx.core.Future;

/**
 * One Subsonic method: its answer's payload (attributes and children of {@code subsonic-response}),
 * or null when it wrote the HTTP response itself (streams, covers). Failing with a
 * {@link SubsonicError} answers that error.
 */
@FunctionalInterface
interface Method {
  Future<Element> answer(Call call);
}
