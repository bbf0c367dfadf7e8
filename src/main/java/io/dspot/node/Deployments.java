package io.dspot.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's verticles in the order they were deployed, so that a stop undeploys them last-first
 * (the leader lets go of the VIP before the servers close) and gives each a bounded time. A verticle
 * whose stop never completed kept {@code vertx.close()} waiting forever: a node that ignored SIGTERM,
 * and once a CI run that hung in a test's teardown with every thread idle. Now it is named in the
 * log and the node stops without it.
 */
final class Deployments {

  private static final Logger log = LoggerFactory.getLogger(Deployments.class);

  private final Vertx vertx;
  private final Deque<Map.Entry<String, String>> deployed = new ConcurrentLinkedDeque<>();

  Deployments(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<String> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(id -> deployed.push(Map.entry(id, verticle.getClass().getSimpleName())));
  }

  Future<String> deploy(String name, Supplier<? extends Deployable> instances, DeploymentOptions options) {
    return vertx.deployVerticle(instances, options).onSuccess(id -> deployed.push(Map.entry(id, name)));
  }

  /** Undeploys last-first, waiting at most {@code each} per verticle; blocks, so never on an event loop. */
  void undeployAll(Duration each) {
    for (Map.Entry<String, String> d = deployed.poll(); d != null; d = deployed.poll()) {
      if (!await(vertx.undeploy(d.getKey()), each)) {
        log.warn("{} did not stop within {} ms; the node stops without it", d.getValue(), each.toMillis());
      }
    }
  }

  /** Whether {@code future} ended (either way) within {@code limit}. */
  static boolean await(Future<?> future, Duration limit) {
    try {
      future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
