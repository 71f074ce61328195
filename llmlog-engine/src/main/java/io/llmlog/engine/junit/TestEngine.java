package io.llmlog.engine.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine as a test sees it: its REST endpoint, the index prefix the test owns, and a few REST
 * helpers over {@link HttpClient}. Tests create indices only under {@link #indexPrefix()}, so test
 * classes that share one node never see each other's data.
 *
 * <p>The helpers throw {@link IllegalStateException} with the response body on any non-2xx answer,
 * which is what a failing test wants to print.
 */
public final class TestEngine {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

  private final URI uri;
  private final String indexPrefix;

  private TestEngine(URI uri, String indexPrefix) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.indexPrefix = Objects.requireNonNull(indexPrefix, "indexPrefix");
    if (!indexPrefix.equals(indexPrefix.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "index names are lowercase, so must the prefix be: " + indexPrefix);
    }
  }

  /**
   * Helpers for the engine at {@code uri}, for tests that own the indices under {@code
   * indexPrefix}.
   */
  public static TestEngine at(URI uri, String indexPrefix) {
    return new TestEngine(uri, indexPrefix);
  }

  /** The engine's REST endpoint, such as {@code http://127.0.0.1:43817}. */
  public URI uri() {
    return uri;
  }

  /**
   * The prefix this test class owns, such as {@code t3-storeit-}; unique per test class in this
   * JVM.
   */
  public String indexPrefix() {
    return indexPrefix;
  }

  /** {@code indexPrefix() + name}. */
  public String index(String name) {
    return indexPrefix + name;
  }

  /** A shared client, HTTP/1.1 like most OpenSearch clients. */
  public HttpClient httpClient() {
    return HTTP;
  }

  /** Sends one request; {@code jsonBody} may be null. Returns whatever status came back. */
  public HttpResponse<String> send(String method, String path, String jsonBody) {
    HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).timeout(REQUEST_TIMEOUT);
    if (jsonBody == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " interrupted", e);
    }
  }

  /** GET, expecting 2xx; returns the body. */
  public String get(String path) {
    return expectOk("GET", path, null);
  }

  /** PUT, expecting 2xx; returns the body. */
  public String put(String path, String jsonBody) {
    return expectOk("PUT", path, jsonBody);
  }

  /** POST, expecting 2xx; returns the body. */
  public String post(String path, String jsonBody) {
    return expectOk("POST", path, jsonBody);
  }

  /** Makes everything indexed so far under {@code pattern} searchable. */
  public void refresh(String pattern) {
    expectOk(
        "POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
  }

  /** Documents under {@code pattern}; 0 when no index matches. */
  public long count(String pattern) {
    String body = get("/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true");
    Matcher count = COUNT.matcher(body);
    if (!count.find()) {
      throw new IllegalStateException("no count in " + body);
    }
    return Long.parseLong(count.group(1));
  }

  /**
   * Deletes the indices matching {@code pattern}, for example {@code indexPrefix() + "*"}; none is
   * fine.
   */
  public void deleteIndices(String pattern) {
    expectOk("DELETE", "/" + pattern + "?ignore_unavailable=true&allow_no_indices=true", null);
  }

  private String expectOk(String method, String path, String jsonBody) {
    HttpResponse<String> response = send(method, path, jsonBody);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private URI resolve(String path) {
    return uri.resolve(path.startsWith("/") ? path : "/" + path);
  }

  @Override
  public String toString() {
    return "TestEngine[" + uri + ", prefix " + indexPrefix + "]";
  }
}
