package io.dspot.log;

import io.dspot.bus.ServiceException;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** This node's commands waiting for the token, and how each caller hears its command's fate. */
final class WriteQueue {

  record Pending(OrderedCommand command, Promise<JsonObject> promise) {}

  private final Deque<Pending> queue = new ArrayDeque<>();

  void add(Pending pending) {
    queue.add(pending);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  /** Takes up to {@code max} commands off the front, in the order they came. */
  List<Pending> drain(int max) {
    List<Pending> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < max) {
      batch.add(queue.poll());
    }
    return batch;
  }

  void failAll(ServiceException cause) {
    queue.forEach(p -> p.promise().tryFail(cause));
    queue.clear();
  }

  /** Answers each caller of a committed batch; {@code unconfirmed}: no majority confirmed it in time. */
  static void answer(List<Pending> batch, Committer.Batch result, boolean unconfirmed) {
    for (int i = 0; i < batch.size(); i++) {
      Committer.Outcome outcome = result.outcomes().get(i);
      Promise<JsonObject> p = batch.get(i).promise();
      if (outcome.failure() != null) {
        p.tryFail(outcome.failure());
      } else if (unconfirmed && outcome.seq() > 0) {
        p.tryFail(new ServiceException(503, "committed as #" + outcome.seq() + " but not confirmed by a majority of nodes in time"));
      } else {
        p.tryComplete(outcome.result());
      }
    }
  }
}
