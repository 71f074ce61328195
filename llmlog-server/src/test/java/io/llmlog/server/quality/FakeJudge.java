package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible {@code /v1/chat/completions} endpoint that answers by a marker in the
 * judged prompt: {@code [judge:score=0.9]} a score, {@code [judge:malformed-once]} prose first,
 * {@code [judge:429-once]} a 429 with {@code Retry-After: 1} first, {@code [judge:slow-once]} an
 * answer later than the judge's timeout first, {@code [judge:malformed]} prose always, {@code
 * [judge:echo-key]} a 401 that quotes the key it was sent, as some providers do. It records every
 * request: the marker's call, the time, and the Authorization header.
 */
final class FakeJudge implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MARKER = Pattern.compile("\\[judge:([a-z0-9.=-]+)\\]");
  private static final Pattern CALL = Pattern.compile("\\[call:([A-Za-z0-9_-]+)\\]");

  /** One request as received. */
  record Request(String call, String marker, long atNanos, String authorization) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  volatile long delayMillis;

  FakeJudge() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
          String prompt = body.path("messages").path(0).path("content").asText();
          String marker = find(MARKER, prompt, "score=0.5");
          String call = find(CALL, prompt, "?");
          requests.add(
              new Request(
                  call,
                  marker,
                  System.nanoTime(),
                  exchange.getRequestHeaders().getFirst("Authorization")));
          int attempt = attempts.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
          try {
            if (delayMillis > 0) {
              Thread.sleep(delayMillis);
            }
            if (marker.equals("429-once") && attempt == 1) {
              exchange.getResponseHeaders().add("Retry-After", "1");
              send(
                  exchange,
                  429,
                  "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
              return;
            }
            if (marker.equals("echo-key")) {
              String key =
                  exchange
                      .getRequestHeaders()
                      .getFirst("Authorization")
                      .substring("Bearer ".length());
              send(
                  exchange,
                  401,
                  "{\"error\":{\"message\":\"Incorrect API key provided: "
                      + key
                      + ". You can find your API key at ...\"}}");
              return;
            }
            if (marker.equals("slow-once") && attempt == 1) {
              Thread.sleep(5_000);
            }
            if (marker.equals("malformed") || (marker.equals("malformed-once") && attempt == 1)) {
              send(
                  exchange,
                  200,
                  completion("I think this answer is quite relevant, maybe an 8 out of 10."));
              return;
            }
            double score =
                marker.startsWith("score=") ? Double.parseDouble(marker.substring(6)) : 0.75;
            send(
                exchange,
                200,
                completion(
                    "```json\n{\"score\": "
                        + score
                        + ", \"reason\": \"graded "
                        + call
                        + "\"}\n```"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException clientGone) {
            // The judge gave up waiting (its timeout): nobody reads this answer.
          }
        });
    server.start();
  }

  private static String find(Pattern pattern, String text, String fallback) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : fallback;
  }

  private static String completion(String content) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-test");
    root.put("object", "chat.completion");
    root.put("model", "gpt-4o-mini");
    ObjectNode message =
        root.putArray("choices")
            .addObject()
            .put("index", 0)
            .put("finish_reason", "stop")
            .putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    root.putObject("usage")
        .put("prompt_tokens", 1200)
        .put("completion_tokens", 40)
        .put("total_tokens", 1240);
    return root.toString();
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requestsFor(String call) {
    return requests.stream().filter(r -> r.call().equals(call)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
