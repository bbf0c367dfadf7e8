package io.dspot.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node that keeps the token keeps at most a bounded number of events to carry with it. */
class CarriedEventsTest {

  private long seq;

  private List<Event> commit(int n) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seq++;
      events.add(new Event(seq, 1, "a", "session.touched", new JsonObject().put("n", seq), "a"));
    }
    return events;
  }

  @Test
  void aLongHoldKeepsNothingToCarryInsteadOfEverything() {
    CarriedEvents carried = new CarriedEvents();
    for (int batch = 0; batch < 100; batch++) {
      carried.add(commit(200));
    }
    assertThat(carried.size()).isZero();
    assertThat(carried.take()).isEmpty();
  }

  @Test
  void aShortHoldCarriesItsEventsInOrderAndTheNextHoldStartsEmpty() {
    CarriedEvents carried = new CarriedEvents();
    carried.add(commit(3));
    carried.add(commit(2));
    assertThat(carried.take()).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    carried.add(commit(CarriedEvents.MAX));
    assertThat(carried.size()).isEqualTo(CarriedEvents.MAX);
  }

  /** A folder import's batches: few events, each with many songs. The bound counts the songs. */
  @Test
  void aHoldOfFewEventsWithManyItemsEachIsBoundedByItsItems() {
    CarriedEvents carried = new CarriedEvents();
    for (int batch = 0; batch < 3; batch++) {
      JsonArray songs = new JsonArray();
      for (int i = 0; i < 200; i++) {
        songs.add(new JsonObject().put("title", "song " + i));
      }
      carried.add(List.of(new Event(++seq, 1, "a", "songs.added", new JsonObject().put("songs", songs), "a")));
    }
    assertThat(carried.size()).as("three events of 200 songs: 603 items, past the bound of %d", CarriedEvents.MAX).isZero();
    carried.take();
    carried.add(List.of(new Event(++seq, 1, "a", "songs.added", new JsonObject().put("songs", new JsonArray().add(1).add(2)), "a")));
    assertThat(carried.size()).isEqualTo(1);
  }

  @Test
  void anOverflowLastsUntilTheHandOffAndAFailedHandOffPutsBackWhatItTook() {
    CarriedEvents carried = new CarriedEvents();
    carried.add(commit(CarriedEvents.MAX));
    carried.add(commit(1));
    carried.add(commit(1));
    assertThat(carried.size()).isZero();
    carried.take();
    carried.add(commit(2));
    List<Event> taken = carried.take();
    carried.putBack(taken);
    assertThat(carried.take()).extracting(Event::seq).containsExactly(seq - 1, seq);
  }
}
