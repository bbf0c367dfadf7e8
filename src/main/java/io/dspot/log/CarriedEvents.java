package io.dspot.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The events a holder committed during one hold, to travel with the token so the next holder
 * need not fetch them. Bounded: a node that keeps the token (alone, or the only one writing) would
 * otherwise keep every event it ever committed, an import's songs included. Past the bound nothing
 * of that hold travels; the relay delivers every event anyway, the token only saves a wait.
 */
final class CarriedEvents {

  static final int MAX = 500;

  private final List<Event> events = new ArrayList<>();
  private boolean overflowed;

  void add(List<Event> committed) {
    if (overflowed || events.size() + committed.size() > MAX) {
      overflowed = true;
      events.clear();
      return;
    }
    events.addAll(committed);
  }

  /** What travels with this hand-off; the next hold starts empty. */
  List<Event> take() {
    List<Event> taken = List.copyOf(events);
    clear();
    return taken;
  }

  /** The hand-off did not happen: the token, and what it was to carry, stay here. */
  void putBack(List<Event> taken) {
    if (!overflowed && events.size() + taken.size() <= MAX) {
      events.addAll(0, taken);
    }
  }

  void clear() {
    events.clear();
    overflowed = false;
  }

  int size() {
    return events.size();
  }
}
