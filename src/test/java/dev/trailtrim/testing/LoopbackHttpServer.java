package dev.trailtrim.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side every local AWS API stand-in shares: JDK's server on 127.0.0.1 and a free port,
 * four daemon threads named after the service, one handler for every path.
 */
final class LoopbackHttpServer implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService executor;
  private final URI endpoint;

  /** @param service names the threads and the error, e.g. "iam-query-api" */
  LoopbackHttpServer(String service, HttpHandler handler) {
    try {
      this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot open a port on 127.0.0.1 for the " + service + " stand-in", e);
    }
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, service);
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", handler);
    http.start();
    this.endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
