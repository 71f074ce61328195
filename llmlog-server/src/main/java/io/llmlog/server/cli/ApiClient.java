package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The CLI's view of a running llmlog: call a native API path, get JSON back or a message a person
 * can act on.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String server;
  private final String apiKey;

  ApiClient(String server, String apiKey) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  /**
   * GETs {@code path} with the parameters that are not null.
   *
   * @throws CliException saying what went wrong and what to do about it
   */
  JsonNode get(String path, Map<String, String> parameters) {
    StringBuilder query = new StringBuilder();
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            query
                .append(query.isEmpty() ? '?' : '&')
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return send("GET", path + query, null, Duration.ofSeconds(60));
  }

  /**
   * POSTs a JSON body to {@code path}; {@code timeout} bounds long operations such as a restore.
   *
   * @throws CliException saying what went wrong and what to do about it
   */
  JsonNode post(String path, JsonNode body, Duration timeout) {
    return send("POST", path, body, timeout);
  }

  private JsonNode send(String method, String pathAndQuery, JsonNode body, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(server + pathAndQuery);
    } catch (IllegalArgumentException e) {
      throw new CliException("--server " + server + " is not a URL such as http://localhost:8080");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    if (apiKey != null) {
      request.header("Authorization", "ApiKey " + apiKey);
    }
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable(e);
    } catch (HttpTimeoutException e) {
      throw new CliException(
          "llmlog at " + server + " did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw e.getCause() instanceof ConnectException
          ? unreachable(e)
          : new CliException("cannot talk to llmlog at " + server + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    } catch (IllegalArgumentException e) {
      throw new CliException("--server " + server + " is not an http:// or https:// URL");
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 == 2 && answer != null) {
      return answer;
    }
    throw failure(response.statusCode(), answer, response.body());
  }

  private CliException unreachable(Exception e) {
    return new CliException(
        "cannot reach llmlog at "
            + server
            + ": is `./llmlog serve` running? ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + ")");
  }

  private CliException failure(int status, JsonNode body, String text) {
    String reason = body == null ? null : body.path("error").path("reason").asText(null);
    return switch (status) {
      case 401 ->
          new CliException(
              "llmlog at " + server + " wants an API key: pass --api-key or set LLMLOG_API_KEY");
      case 403 -> new CliException("the API key's role does not allow this: " + reason);
      case 404 ->
          new CliException(
              reason != null
                  ? reason
                  : server + " does not look like llmlog (404); check --server");
      default ->
          new CliException(
              reason != null ? reason : "llmlog answered " + status + ": " + abbreviate(text));
    };
  }

  private static JsonNode parse(String text) {
    try {
      return text == null || text.isEmpty() ? null : JSON.readTree(text);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** A failure the CLI reports as one message, without a stack trace. */
  static final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
      super(message);
    }
  }
}
