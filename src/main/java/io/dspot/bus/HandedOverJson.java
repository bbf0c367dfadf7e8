package io.dspot.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Hands a JsonObject to a receiver on this node as it is, where Vert.x's own codec copies it (so
 * that sender and receiver never share a mutable object). For replies their operation built for
 * this message and keeps no reference to (see {@link BusService#freshReplies}): the copy of a
 * page of 50 songs was a tenth of a search's allocation (bench/search.md, round 6). Over the wire
 * (never, for local consumers) it is JSON as usual.
 */
final class HandedOverJson implements MessageCodec<JsonObject, JsonObject> {

  static final String NAME = "dspot.json.handed-over";
  static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(NAME);

  private HandedOverJson() {}

  /** Registers the codec on {@code vertx} once; every BusService of the node shares it. */
  static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new HandedOverJson());
    } catch (IllegalStateException alreadyRegistered) {
      // Another module's BusService on this Vert.x registered it first: the same codec.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
