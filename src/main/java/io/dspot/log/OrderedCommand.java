package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * A catalog write waiting for the ring token. {@link #decide} runs on the token holder inside the
 * commit transaction, after every earlier event was applied there: it reads what it needs and
 * says which event to record (ids and times included), or refuses with a ServiceException.
 */
@FunctionalInterface
public interface OrderedCommand {
  Future<Decision> decide(SqlConnection tx);
}
