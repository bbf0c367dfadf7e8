package io.dspot.security;

import io.dspot.bus.LruCache;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * Who a credential resolved to, remembered briefly by one HTTP event loop, and forgotten whole
 * as soon as this node ends a session or changes a password ({@link SecurityAddresses#REVOCATIONS}):
 * the epoch is compared at each lookup, synchronously, so no answer outlives a revocation here.
 * Not thread-safe: one per event loop.
 */
public final class RevocableCache<V> {

  private final LruCache<String, V> cache;
  private final LocalMap<String, Long> revocations;
  /** The revocation epoch the cache was filled under. */
  private long epoch;

  public RevocableCache(Vertx vertx, int capacity, long timeToLiveMillis) {
    this.cache = LruCache.expiring(capacity, timeToLiveMillis);
    this.revocations = vertx.sharedData().getLocalMap(SecurityAddresses.REVOCATIONS);
    this.epoch = currentEpoch();
  }

  /** The epoch now; pass it to {@link #put} after an asynchronous lookup begun now. */
  public long currentEpoch() {
    Long current = revocations.get(SecurityAddresses.REVOCATION_EPOCH);
    return current == null ? 0 : current;
  }

  public V get(String key) {
    long current = currentEpoch();
    if (current != epoch) {
      cache.clear();
      epoch = current;
    }
    return cache.get(key);
  }

  /** Remembers the value unless something was revoked since {@code lookedUpAt} (the lookup may predate it). */
  public void put(String key, V value, long lookedUpAt) {
    if (currentEpoch() == lookedUpAt) {
      cache.put(key, value);
    }
  }

  public void remove(String key) {
    cache.remove(key);
  }
}
