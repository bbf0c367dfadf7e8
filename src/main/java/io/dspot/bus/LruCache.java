package io.dspot.bus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A bounded map that forgets the least recently used entry first and, when given a time to live,
 * entries older than that. Remembers what one event loop or one verticle resolved (sessions, song
 * files), so it is not thread-safe on purpose: one instance per owner, no locking.
 */
public final class LruCache<K, V> {

  private record Entry<V>(V value, long until) {}

  private final long timeToLiveMillis;
  private final LongSupplier clock;
  private final Map<K, Entry<V>> entries;

  private LruCache(int capacity, long timeToLiveMillis, LongSupplier clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.timeToLiveMillis = timeToLiveMillis;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Entries stay until pushed out by newer ones or removed. */
  public static <K, V> LruCache<K, V> bounded(int capacity) {
    return new LruCache<>(capacity, Long.MAX_VALUE, System::currentTimeMillis);
  }

  /** Entries also expire {@code timeToLiveMillis} after they were put. */
  public static <K, V> LruCache<K, V> expiring(int capacity, long timeToLiveMillis) {
    return expiring(capacity, timeToLiveMillis, System::currentTimeMillis);
  }

  /** As {@link #expiring(int, long)}, reading the time from {@code clock} (milliseconds). */
  public static <K, V> LruCache<K, V> expiring(int capacity, long timeToLiveMillis, LongSupplier clock) {
    if (timeToLiveMillis <= 0) {
      throw new IllegalArgumentException("time to live must be positive, got " + timeToLiveMillis);
    }
    return new LruCache<>(capacity, timeToLiveMillis, clock);
  }

  /** The value, or null when absent or expired (an expired entry is dropped). */
  public V get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (entry.until() <= clock.getAsLong()) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  public void put(K key, V value) {
    long now = clock.getAsLong();
    long until = timeToLiveMillis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeToLiveMillis;
    entries.put(key, new Entry<>(value, until));
  }

  public void remove(K key) {
    entries.remove(key);
  }

  /** Drops every entry whose value matches, e.g. all sessions of a deleted user. */
  public void removeIf(Predicate<? super V> matches) {
    entries.values().removeIf(entry -> matches.test(entry.value()));
  }

  public void clear() {
    entries.clear();
  }

  public int size() {
    return entries.size();
  }
}
