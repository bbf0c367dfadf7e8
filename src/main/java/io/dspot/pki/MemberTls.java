package io.dspot.pki;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * This member's TLS material, applied the same way to everything on the cluster plane: present
 * the member certificate, trust only the cluster CA, and (as a server) require the peer's
 * certificate. Nothing here trusts the JDK's default CAs.
 *
 * <p>Clients do not verify host names: members are addressed by IP on the internal network, and
 * what a peer proves is "I hold a certificate from this cluster's CA", which is the only trust
 * the cluster plane has (any member may already read and write everything). The member
 * certificates still carry the node id and its hosts as SANs, for operators' tools.
 */
public record MemberTls(Path caFile, Path certFile, Path keyFile) {

  public PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString());
  }

  public PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(caFile.toString());
  }

  /**
   * The clustered event bus: server and client side both come from these options. Vert.x's
   * {@code EventBusOptions} trust every server certificate by default ({@code trustAll} true): without
   * {@code setTrustAll(false)} a node would hand its messages to any bus server that accepts its
   * certificate, e.g. a rogue Hazelcast member with a self-made one (ClusterPlaneAttackTest caught it).
   */
  public EventBusOptions applyTo(EventBusOptions options) {
    options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust()).setTrustAll(false).setClientAuth(ClientAuth.REQUIRED);
    return options;
  }

  /** The internal API's server: no answer, not even a handshake, without a member certificate. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust()).setClientAuth(ClientAuth.REQUIRED);
    return options;
  }

  /** A client of peers' internal API (also a {@code WebClientOptions}). */
  public <T extends HttpClientOptions> T applyTo(T options) {
    options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust()).setVerifyHost(false).setTrustAll(false);
    return options;
  }
}
