package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A node's stop undeploys last-first and does not wait forever for a verticle that never stops. */
class DeploymentsTest {

  private final List<String> stopped = new CopyOnWriteArrayList<>();

  private final class Named extends VerticleBase {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public Future<?> stop() {
      stopped.add(name);
      return Future.succeededFuture();
    }
  }

  /** Its stop never completes (a reply that never comes). */
  private static final class Stuck extends VerticleBase {
    @Override
    public Future<?> stop() {
      return Promise.promise().future();
    }
  }

  @Test
  void aVerticleThatNeverStopsIsLeftBehindAndTheOthersStopLastFirst() {
    Vertx vertx = Vertx.vertx();
    try {
      Deployments deployments = new Deployments(vertx);
      deployments.deploy(new Named("first")).await();
      deployments.deploy(new Stuck()).await();
      deployments.deploy(new Named("last")).await();
      long started = System.nanoTime();
      deployments.undeployAll(Duration.ofMillis(500));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(stopped).containsExactly("last", "first");
      assertThat(tookMillis).as("bounded by the one stuck verticle's limit, not forever").isLessThan(10_000);
      assertThat(vertx.deploymentIDs()).as("only the stuck one is left").hasSize(1);
    } finally {
      Deployments.await(vertx.close(), Duration.ofSeconds(2));
    }
  }
}
