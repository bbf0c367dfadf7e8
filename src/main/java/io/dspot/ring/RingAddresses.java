package io.dspot.ring;

/** Event-bus addresses of the ring module. */
public final class RingAddresses {
  private RingAddresses() {}

  /** Local: {} → {holder (node id or null), epoch, members: [...], majority (bool)}. */
  public static final String STATUS = "ring.status";
}
