package io.dspot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop delay as a listener feels it: every few seconds a no-op task is queued on each event
 * loop and the time until it runs is recorded. A loop blocked by slow code shows here before
 * Vert.x's blocked-thread warning (2 s) fires. One timer per loop; the loops are a fixed set.
 */
final class EventLoopDelay {

  static final long PERIOD_MS = 2_000;

  private EventLoopDelay() {}

  static void start(Vertx vertx, MeterRegistry registry) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).eventLoopGroup().forEach(loops::add);
    List<Timer> timers = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      timers.add(Timer.builder(MeterNames.EVENT_LOOP_DELAY).description("time a task waits in an event loop's queue")
          .tag("loop", Integer.toString(i)).register(registry));
    }
    vertx.setPeriodic(PERIOD_MS, id -> {
      for (int i = 0; i < loops.size(); i++) {
        Timer timer = timers.get(i);
        long queued = System.nanoTime();
        loops.get(i).execute(() -> timer.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS));
      }
    });
  }
}
