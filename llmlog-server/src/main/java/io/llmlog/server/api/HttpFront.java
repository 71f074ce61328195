package io.llmlog.server.api;

import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP listeners: one Jetty server with a connector per {@link Site}. Handlers block (they wait
 * for the engine), so requests run on virtual threads.
 */
public final class HttpFront implements AutoCloseable {
  private final Server server;
  private final List<ServerConnector> connectors;

  HttpFront(String host, List<Site> sites, List<Integer> ports) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("llmlog-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Request ids may contain any character, '/' included when percent-encoded.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "llmlog",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    this.connectors = new java.util.ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setName(sites.get(i).name());
      connector.setHost(host);
      connector.setPort(ports.get(i));
      connector.setIdleTimeout(60_000);
      server.addConnector(connector);
      connectors.add(connector);
    }
    Handler sitesHandler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String connector = request.getConnectionMetaData().getConnector().getName();
            for (Site site : sites) {
              if (site.name().equals(connector)) {
                site.handle(request, response, callback);
                return true;
              }
            }
            return false;
          }
        };
    // Answers are gzipped for clients that ask (the dashboard's scripts, search results). Request
    // bodies are never inflated here: ingest inflates them itself, within its limits.
    GzipHandler gzip = new GzipHandler(sitesHandler);
    gzip.setInflateBufferSize(-1);
    gzip.setMinGzipSize(1024);
    // The gateway relays upstream answers as they come: compressing would hold a stream back.
    gzip.addExcludedPaths(GatewayApi.PREFIX + "*");
    server.setHandler(gzip);
    server.setStopTimeout(10_000);
  }

  void start() throws Exception {
    server.start();
  }

  /** True when a site of this name listens. */
  boolean has(String site) {
    return connectors.stream().anyMatch(connector -> connector.getName().equals(site));
  }

  /** The port a site listens on (the real one when 0 was asked for). */
  public int port(String site) {
    for (ServerConnector connector : connectors) {
      if (connector.getName().equals(site)) {
        return connector.getLocalPort();
      }
    }
    throw new IllegalArgumentException("no site " + site);
  }

  /** Stops accepting, lets requests in flight finish (up to 10 s), then stops. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the HTTP listeners failed", e);
    }
  }
}
