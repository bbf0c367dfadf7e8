package io.dspot.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Whether a request reached us over TLS: directly, or through a reverse proxy we trust that says
 * so in {@code X-Forwarded-Proto}. Anyone else's header is ignored: a client must not be able to
 * talk its way into (or out of) {@code Secure} cookies.
 */
final class TlsOrigin {

  static final String FORWARDED_PROTO = "X-Forwarded-Proto";

  private final List<Block> trusted;

  /** {@code trustedProxies}: IP addresses or CIDR blocks, already checked for shape by the config loader. */
  TlsOrigin(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(Block::parse).toList();
  }

  boolean secure(HttpServerRequest request) {
    if (request.isSSL()) {
      return true;
    }
    String proto = request.getHeader(FORWARDED_PROTO);
    if (proto == null || trusted.isEmpty() || !fromTrustedProxy(request.remoteAddress())) {
      return false;
    }
    // A chain of proxies appends: the last value is the one our own (trusted) proxy wrote.
    String last = proto.substring(proto.lastIndexOf(',') + 1).trim();
    return last.equalsIgnoreCase("https");
  }

  private boolean fromTrustedProxy(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    byte[] address = literal(remote.hostAddress());
    return address != null && trusted.stream().anyMatch(b -> b.contains(address));
  }

  /** An IP literal's bytes; null for anything else (never a DNS lookup). */
  private static byte[] literal(String ip) {
    if (!ip.matches("[0-9A-Fa-f.:%a-z]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** An address and how many leading bits must match. */
  private record Block(byte[] network, int bits) {
    static Block parse(String text) {
      int slash = text.indexOf('/');
      byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("not an IP address: " + text);
      }
      int bits = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
      if (bits > network.length * 8) {
        throw new IllegalArgumentException("prefix longer than the address: " + text);
      }
      return new Block(network, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
