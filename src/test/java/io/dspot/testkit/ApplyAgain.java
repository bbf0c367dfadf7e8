package io.dspot.testkit;

import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/** Runs an event's applier once more on a node's own database, in a transaction: what a relay that delivers an event twice does. */
public final class ApplyAgain {
  private ApplyAgain() {}

  public static void on(TestNode node, Function<SqlConnection, Future<Void>> applier) {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(node.node().jdbcUrl().substring("jdbc:".length())))
        .using(node.vertx()).build();
    try {
      pool.withTransaction(applier).await();
    } finally {
      pool.close().await();
    }
  }
}
