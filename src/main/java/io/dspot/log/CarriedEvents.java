package io.dspot.log;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a holder committed during one hold, to travel with the token so the next holder
 * need not fetch them. Bounded: a node that keeps the token (alone, or the only one writing) would
 * otherwise keep every event it ever committed, an import's songs included. Past the bound nothing
 * of that hold travels; the relay delivers every event anyway, the token only saves a wait.
 *
 * <p>The bound is on the items the events hold, not on the events: one {@code songs.added} of a
 * folder import holds up to 200 songs, and 500 of those (a bound of 500 events) had kept 100,000
 * songs' JSON, the whole of a 100,000-song import, on the heap of a node that kept the token.
 */
final class CarriedEvents {

  /** Items at most: an event weighs 1 plus the elements of the arrays in its payload (its songs, its replicas...). */
  static final int MAX = 500;

  private final List<Event> events = new ArrayList<>();
  private int weight;
  private boolean overflowed;

  void add(List<Event> committed) {
    int added = weightOf(committed);
    if (overflowed || weight + added > MAX) {
      overflowed = true;
      events.clear();
      weight = 0;
      return;
    }
    events.addAll(committed);
    weight += added;
  }

  static int weightOf(List<Event> events) {
    int sum = 0;
    for (Event e : events) {
      sum++;
      if (e.payload() != null) {
        for (Object value : e.payload().getMap().values()) {
          if (value instanceof JsonArray array) {
            sum += array.size();
          } else if (value instanceof List<?> list) {
            sum += list.size();
          }
        }
      }
    }
    return sum;
  }

  /** What travels with this hand-off; the next hold starts empty. */
  List<Event> take() {
    List<Event> taken = List.copyOf(events);
    clear();
    return taken;
  }

  /** The hand-off did not happen: the token, and what it was to carry, stay here. */
  void putBack(List<Event> taken) {
    int back = weightOf(taken);
    if (!overflowed && weight + back <= MAX) {
      events.addAll(0, taken);
      weight += back;
    }
  }

  void clear() {
    events.clear();
    weight = 0;
    overflowed = false;
  }

  int size() {
    return events.size();
  }
}
