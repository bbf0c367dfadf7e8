package io.dspot.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Event type → applier; each module registers the event types it owns at start-up. */
final class Appliers {

  private final Map<String, Applier> byType = new ConcurrentHashMap<>();

  void register(String type, Applier applier) {
    if (byType.putIfAbsent(type, applier) != null) {
      throw new IllegalStateException("two appliers for event type " + type);
    }
  }

  /** Null when no module knows the type: the event gets parked. */
  Applier find(String type) {
    return byType.get(type);
  }
}
