package io.llmlog.server.store;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's REST API (OpenSearch, or Elasticsearch's same subset) over the JDK's HTTP client.
 * With several URLs it spreads requests round-robin and fails over to the next node when one cannot
 * be reached.
 */
final class EngineClient implements AutoCloseable {
  private final List<URI> nodes;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicInteger next = new AtomicInteger();

  EngineClient(List<URI> nodes, String username, String password, Duration timeout) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no engine URL");
    }
    this.nodes = List.copyOf(nodes);
    this.authorization =
        username == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (username + ":" + (password == null ? "" : password))
                            .getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  List<URI> nodes() {
    return nodes;
  }

  /** A JSON request; {@code body} may be null. */
  EngineResponse send(String method, String path, byte[] body) {
    return send(method, path, body, "application/json", timeout);
  }

  /**
   * Sends a request to one node after another until one answers.
   *
   * @throws EngineUnavailableException when no node answered within the timeout
   */
  EngineResponse send(
      String method, String path, byte[] body, String contentType, Duration requestTimeout) {
    return send(method, path, body, body == null ? 0 : body.length, contentType, requestTimeout);
  }

  /**
   * Sends the first {@code length} bytes of {@code body}.
   *
   * @throws EngineUnavailableException when no node answered within the timeout
   */
  EngineResponse send(
      String method,
      String path,
      byte[] body,
      int length,
      String contentType,
      Duration requestTimeout) {
    IOException last = null;
    int start = Math.floorMod(next.getAndIncrement(), nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      URI node = nodes.get((start + i) % nodes.size());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(node + path))
              .timeout(requestTimeout)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
      if (body != null) {
        request.header("Content-Type", contentType);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try {
        HttpResponse<byte[]> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new EngineResponse(response.statusCode(), response.body());
      } catch (HttpConnectTimeoutException | ConnectException e) {
        last = e;
      } catch (HttpTimeoutException e) {
        throw new EngineUnavailableException(
            "the search engine at "
                + node
                + " did not answer "
                + method
                + " "
                + path
                + " within "
                + requestTimeout.toSeconds()
                + "s",
            e);
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineUnavailableException("interrupted while waiting for the search engine", e);
      }
    }
    throw new EngineUnavailableException(
        "the search engine cannot be reached at " + nodes + ": " + last, last);
  }

  @Override
  public void close() {
    http.close();
  }
}
