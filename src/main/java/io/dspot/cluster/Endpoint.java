package io.dspot.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.types.HttpEndpoint;

/**
 * One HTTP endpoint of one node as published in the service registry: the external API or the
 * internal peer API. {@code registration} is null until published.
 */
public record Endpoint(String nodeId, String vertxNodeId, Kind kind, String host, int port, String registration) {

  /** What an endpoint serves; {@code recordName} is the registry record's name. */
  public enum Kind {
    API("api", "dspot.api"),
    INTERNAL("internal", "dspot.internal");

    public final String label;
    public final String recordName;

    Kind(String label, String recordName) {
      this.label = label;
      this.recordName = recordName;
    }

    static Kind ofLabel(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      return null;
    }
  }

  static final String NODE_ID = "nodeId";
  static final String VERTX_NODE_ID = "vertxNodeId";
  static final String KIND = "kind";

  public String address() {
    return host + ":" + port;
  }

  /** The registry record this endpoint is published as (tests register fake peers with it too). */
  public Record toRecord() {
    JsonObject metadata = new JsonObject()
        .put(NODE_ID, nodeId)
        .put(VERTX_NODE_ID, vertxNodeId)
        .put(KIND, kind.label);
    return HttpEndpoint.createRecord(kind.recordName, host, port, "/", metadata);
  }

  /** Null for records that are not ours (no node metadata, unknown kind, not an HTTP endpoint). */
  static Endpoint fromRecord(Record record) {
    JsonObject metadata = record.getMetadata();
    JsonObject location = record.getLocation();
    if (metadata == null || location == null || !HttpEndpoint.TYPE.equals(record.getType())) {
      return null;
    }
    Kind kind = Kind.ofLabel(metadata.getString(KIND));
    String nodeId = metadata.getString(NODE_ID);
    String vertxNodeId = metadata.getString(VERTX_NODE_ID);
    Integer port = location.getInteger("port");
    String host = location.getString("host");
    if (kind == null || nodeId == null || vertxNodeId == null || port == null || host == null) {
      return null;
    }
    return new Endpoint(nodeId, vertxNodeId, kind, host, port, record.getRegistration());
  }

  /** The same endpoint, to be published anew under this (possibly new) cluster-manager id. */
  Endpoint republishedAs(String newVertxNodeId) {
    return new Endpoint(nodeId, newVertxNodeId, kind, host, port, null);
  }

  Endpoint registeredAs(String registration) {
    return new Endpoint(nodeId, vertxNodeId, kind, host, port, registration);
  }
}
