package io.dspot.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTPS to test nodes on loopback: nodes start with TLS on and a self-signed certificate made for
 * them, so test clients trust whatever the node presents (tests that check the certificate itself
 * read it from the node's data directory). Never for anything but 127.0.0.1.
 */
public final class LoopbackTls {

  private static final SSLContext TRUST_ALL = trustAll();

  private LoopbackTls() {}

  public static SSLContext context() {
    return TRUST_ALL;
  }

  /** java.net.http's builder, trusting the node's certificate. */
  public static HttpClient.Builder httpClient() {
    return HttpClient.newBuilder().sslContext(TRUST_ALL);
  }

  /** A connected socket to {@code 127.0.0.1:port}, TLS-wrapped (HTTP/1.1) when {@code tls}; {@code plain} is set up before connecting. */
  public static Socket connect(Socket plain, int port, boolean tls) throws IOException {
    plain.connect(new InetSocketAddress("127.0.0.1", port));
    if (!tls) {
      return plain;
    }
    SSLSocket socket = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.startHandshake();
    return socket;
  }

  private static SSLContext trustAll() {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
