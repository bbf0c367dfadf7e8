package io.dspot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Sockets to a node's public port the way an attacker opens them: from a chosen loopback source
 * address (127.0.0.2 is another "client" than 127.0.0.1), speaking whatever the node's base URL
 * says (TLS when it is https, trusting any certificate: the attack is on the server, not the
 * client's trust).
 */
public final class RawSockets {

  private RawSockets() {}

  public static Socket open(String baseUrl, String fromAddress) {
    URI uri = URI.create(baseUrl);
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      if (!"https".equals(uri.getScheme())) {
        return socket;
      }
      SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, uri.getHost(), uri.getPort(), true);
      tls.setSoTimeout(10_000);
      tls.startHandshake();
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the server closed (or reset) the connection; looks for at most {@code millis}. */
  public static boolean closedByPeer(Socket socket, int millis) {
    try {
      socket.setSoTimeout(millis);
      byte[] buffer = new byte[4096];
      while (true) {
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  public static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
