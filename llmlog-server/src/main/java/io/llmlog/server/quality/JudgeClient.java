package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One request to an OpenAI-compatible {@code /chat/completions} endpoint, and its answer read as a
 * score: a JSON object {@code {"score": 0..1, "reason": "..."}} in the message (a Markdown code
 * fence around it is allowed). The API key goes into the Authorization header and nowhere else: no
 * message of this class contains it.
 */
final class JudgeClient implements AutoCloseable {
  /** Why an attempt failed; {@code retryable} ones are tried again. */
  enum Failure {
    RATE_LIMITED(true),
    TIMEOUT(true),
    UNREACHABLE(true),
    SERVER_ERROR(true),
    MALFORMED(true),
    REFUSED(false);

    final boolean retryable;

    Failure(boolean retryable) {
      this.retryable = retryable;
    }

    String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One attempt: a score and reason, or a failure with what the endpoint said; the tokens it
   * reported, the model's text, and how long it took.
   */
  record Answer(
      Double score,
      String reason,
      Failure failure,
      String detail,
      Duration retryAfter,
      String content,
      long inputTokens,
      long outputTokens,
      double latencyMs) {
    boolean ok() {
      return failure == null;
    }
  }

  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private final ObjectMapper json;
  private final HttpClient http;

  JudgeClient(QualitySettings.Judge settings, ObjectMapper json) {
    this.endpoint = URI.create(settings.baseUrl() + "/chat/completions");
    this.model = settings.model();
    this.apiKey = settings.apiKey();
    this.timeout = settings.timeout();
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .build();
  }

  String model() {
    return model;
  }

  String endpoint() {
    return endpoint.toString();
  }

  Answer ask(String prompt) {
    ObjectNode body = json.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.put("content", prompt);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return failed(Failure.UNREACHABLE, "cannot connect to " + endpoint, null, start);
    } catch (HttpTimeoutException e) {
      return failed(Failure.TIMEOUT, "no answer within " + timeout.toMillis() + " ms", null, start);
    } catch (IOException e) {
      return failed(Failure.UNREACHABLE, e.getClass().getSimpleName(), null, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(Failure.UNREACHABLE, "interrupted", null, start);
    }
    double latency = (System.nanoTime() - start) / 1e6;
    int status = response.statusCode();
    if (status == 429) {
      return new Answer(
          null,
          null,
          Failure.RATE_LIMITED,
          "429 Too Many Requests",
          retryAfter(response),
          null,
          0,
          0,
          latency);
    }
    if (status >= 500) {
      return new Answer(
          null,
          null,
          Failure.SERVER_ERROR,
          "HTTP " + status,
          retryAfter(response),
          null,
          0,
          0,
          latency);
    }
    if (status / 100 != 2) {
      return new Answer(
          null,
          null,
          Failure.REFUSED,
          "HTTP " + status + ": " + scrub(abbreviate(errorMessage(response.body()))),
          null,
          null,
          0,
          0,
          latency);
    }
    JsonNode root;
    try {
      root = json.readTree(response.body());
    } catch (IOException e) {
      return new Answer(
          null,
          null,
          Failure.MALFORMED,
          "the endpoint's answer is not JSON",
          null,
          null,
          0,
          0,
          latency);
    }
    String content = root.path("choices").path(0).path("message").path("content").asText(null);
    long input = root.path("usage").path("prompt_tokens").asLong(0);
    long output = root.path("usage").path("completion_tokens").asLong(0);
    if (content == null) {
      return new Answer(
          null,
          null,
          Failure.MALFORMED,
          "no choices[0].message.content in the answer",
          null,
          null,
          input,
          output,
          latency);
    }
    return verdict(content, input, output, latency);
  }

  /** The score and reason in the model's text. */
  Answer verdict(String content, long input, long output, double latency) {
    String text = JsonCheck.unfenced(content.strip());
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (open < 0 || close < open) {
      return new Answer(
          null,
          null,
          Failure.MALFORMED,
          "no JSON object in the judge's answer: " + abbreviate(text),
          null,
          content,
          input,
          output,
          latency);
    }
    JsonNode verdict;
    try {
      verdict = json.readTree(text.substring(open, close + 1));
    } catch (IOException e) {
      return new Answer(
          null,
          null,
          Failure.MALFORMED,
          "the judge's JSON is not valid: " + abbreviate(text),
          null,
          content,
          input,
          output,
          latency);
    }
    JsonNode score = verdict.path("score");
    double value =
        score.isNumber()
            ? score.asDouble()
            : score.isTextual() ? parse(score.asText()) : Double.NaN;
    if (!(value >= 0 && value <= 1)) {
      return new Answer(
          null,
          null,
          Failure.MALFORMED,
          "the judge's score must be a number from 0 to 1, was " + abbreviate(score.toString()),
          null,
          content,
          input,
          output,
          latency);
    }
    return new Answer(
        value,
        verdict.path("reason").asText(null),
        null,
        null,
        null,
        content,
        input,
        output,
        latency);
  }

  private static Answer failed(Failure failure, String detail, Duration retryAfter, long start) {
    return new Answer(
        null, null, failure, detail, retryAfter, null, 0, 0, (System.nanoTime() - start) / 1e6);
  }

  /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    String value = response.headers().firstValue("Retry-After").orElse(null);
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                java.time.Instant.now(),
                ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  /** An endpoint may quote the key it was sent in its error; it never gets further than here. */
  private String scrub(String text) {
    return apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "[API_KEY]");
  }

  private String errorMessage(String body) {
    try {
      return json.readTree(body).path("error").path("message").asText(body);
    } catch (IOException e) {
      return body;
    }
  }

  private static double parse(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String abbreviate(String text) {
    String flat = text.replace('\n', ' ');
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }

  @Override
  public void close() {
    http.close();
  }
}
