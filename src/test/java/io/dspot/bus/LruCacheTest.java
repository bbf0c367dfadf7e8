package io.dspot.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LruCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LruCache<String, String> cache = LruCache.bounded(10);

  @Test
  void givesBackWhatWasPut() {
    cache.put("a", "1");
    assertThat(cache.get("a")).isEqualTo("1");
    assertThat(cache.get("b")).isNull();
  }

  @Test
  void fullCacheForgetsTheLeastRecentlyUsedEntry() {
    LruCache<String, String> small = LruCache.bounded(2);
    small.put("a", "1");
    small.put("b", "2");
    small.get("a"); // a is now more recent than b
    small.put("c", "3");
    assertThat(small.get("b")).isNull();
    assertThat(small.get("a")).isEqualTo("1");
    assertThat(small.get("c")).isEqualTo("3");
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void entryExpiresOnceItsTimeToLiveHasPassed() {
    LruCache<String, String> expiring = LruCache.expiring(10, 100, now::get);
    expiring.put("a", "1");
    now.addAndGet(99);
    assertThat(expiring.get("a")).isEqualTo("1");
    now.addAndGet(1);
    assertThat(expiring.get("a")).isNull();
    assertThat(expiring.size()).isZero();
  }

  @Test
  void putAgainRestartsTheTimeToLive() {
    LruCache<String, String> expiring = LruCache.expiring(10, 100, now::get);
    expiring.put("a", "1");
    now.addAndGet(80);
    expiring.put("a", "2");
    now.addAndGet(80);
    assertThat(expiring.get("a")).isEqualTo("2");
  }

  @Test
  void boundedEntriesNeverExpire() {
    cache.put("a", "1");
    assertThat(cache.get("a")).isEqualTo("1");
  }

  @Test
  void removeIfDropsEveryMatchingValue() {
    cache.put("t1", "alice");
    cache.put("t2", "bob");
    cache.put("t3", "alice");
    cache.removeIf("alice"::equals);
    assertThat(cache.get("t1")).isNull();
    assertThat(cache.get("t3")).isNull();
    assertThat(cache.get("t2")).isEqualTo("bob");
  }

  @Test
  void removeAndClearForget() {
    cache.put("a", "1");
    cache.remove("a");
    assertThat(cache.get("a")).isNull();
    cache.put("b", "2");
    cache.clear();
    assertThat(cache.get("b")).isNull();
  }

  @Test
  void refusesANonPositiveCapacityOrTimeToLive() {
    assertThatThrownBy(() -> LruCache.bounded(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LruCache.expiring(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
