package io.dspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

/** The node's Vert.x runs on Netty's native epoll on Linux x86-64, the platform nodes ship for. */
class NetworkTransportTest {

  @Test
  void choosesNativeEpollOnLinuxX8664() {
    Transport chosen = NetworkTransport.choose();
    assertThat(chosen.name()).isEqualTo("epoll");
    Vertx vertx = Vertx.builder().withTransport(chosen).build();
    try {
      assertThat(vertx.isNativeTransportEnabled()).as("native transport in use").isTrue();
    } finally {
      vertx.close().await();
    }
  }
}
