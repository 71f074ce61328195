package io.llmlog.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmlog.core.codec.JsonMaps;
import io.llmlog.core.codec.LlmLogJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the OpenAI and Anthropic APIs on a free loopback port, for every test that needs a
 * provider (the logging gateway's tests and benchmark, frameworks' end-to-end tests): canned chat
 * completions, text completions, embeddings, responses and Anthropic messages, plain or as
 * server-sent events, and errors. What it does is chosen by the request's {@code model}:
 *
 * <ul>
 *   <li>{@code error-429}, {@code error-500}: that status with {@link #RATE_LIMIT_BODY} or {@link
 *       #SERVER_ERROR_BODY};
 *   <li>{@code echo-key}: 401 with the caller's API key in the message, as real providers do;
 *   <li>{@code no-usage}: no token usage in the answer, even when asked for it;
 *   <li>{@code slow}: a stream of {@link #SLOW_PIECES} pieces, {@link #SLOW_DELAY} apart;
 *   <li>{@code break}: a stream that stops after three pieces by closing the connection;
 *   <li>{@code gated}: a stream that sends its first piece, then waits for {@link #release()};
 *   <li>anything else: {@link #ANSWER}, streamed as {@link #PIECES} with the configured delay.
 * </ul>
 *
 * Every request is kept ({@link #received()}) so that tests can check what reached the upstream.
 * Shipped in llmlog-core's test jar; depends on the JDK's HTTP server only.
 */
public final class FakeUpstream implements AutoCloseable {
  /** The answer's pieces, in stream order; together they are {@link #ANSWER}. */
  public static final List<String> PIECES =
      List.of(
          "Logging ",
          "every ",
          "call ",
          "is ",
          "one ",
          "base ",
          "URL ",
          "away. ",
          "日志",
          "记录",
          "很",
          "简单",
          "。");

  public static final String ANSWER = String.join("", PIECES);
  public static final int SLOW_PIECES = 200;
  public static final Duration SLOW_DELAY = Duration.ofMillis(20);
  public static final int PROMPT_TOKENS = 25;
  public static final int COMPLETION_TOKENS = 13;
  public static final int CACHED_TOKENS = 8;
  public static final int REASONING_TOKENS = 3;
  public static final int CACHE_CREATION_TOKENS = 5;
  public static final int EMBEDDING_DIMENSIONS = 8;
  public static final String RATE_LIMIT_BODY =
      "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
  public static final String SERVER_ERROR_BODY =
      "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";

  private final HttpServer server;
  private final ExecutorService threads;
  private final Duration pieceDelay;
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);

  /** A request as the upstream saw it. */
  public record Received(
      String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of a header (any case), or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  private FakeUpstream(HttpServer server, ExecutorService threads, Duration pieceDelay) {
    this.server = server;
    this.threads = threads;
    this.pieceDelay = pieceDelay;
  }

  /** An upstream that streams without pauses. */
  public static FakeUpstream start() {
    return start(Duration.ZERO);
  }

  /**
   * An upstream that waits {@code pieceDelay} before each piece of a stream (a model generating).
   */
  public static FakeUpstream start(Duration pieceDelay) {
    // The JDK's server closes idle connections beyond 200 (read once per JVM): a proxy's pool of
    // keep-alive connections to a busy upstream is larger, and real upstreams keep them open.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      ExecutorService threads =
          Executors.newCachedThreadPool(
              runnable -> {
                Thread thread = new Thread(runnable, "fake-upstream");
                thread.setDaemon(true);
                return thread;
              });
      FakeUpstream upstream = new FakeUpstream(server, threads, pieceDelay);
      server.setExecutor(threads);
      server.createContext("/", upstream::handle);
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL, as an upstream is configured ({@code http://127.0.0.1:PORT}). */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, oldest first. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The latest request, or null. */
  public Received last() {
    List<Received> all = received();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Lets one waiting {@code gated} stream go on. */
  public void release() {
    gate.release();
  }

  /** Forgets the requests seen so far (a benchmark's would fill the memory). */
  public void forget() {
    received.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try {
      respond(exchange);
    } catch (BreakOff e) {
      // Out of the handler without closing the exchange (which would end the stream properly): the
      // JDK's server closes the connection at once, short of the answer's end.
      throw e;
    } catch (IOException | RuntimeException e) {
      // The client went away (a cancelled stream); nothing to answer.
    }
    exchange.close();
  }

  private void respond(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            path
                + (exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + exchange.getRequestURI().getRawQuery()),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(body, StandardCharsets.UTF_8)));
    Map<String, Object> request =
        body.length == 0 ? Map.of() : JsonMaps.readObject(new ByteArrayInputStream(body));
    String model = String.valueOf(request.getOrDefault("model", "gpt-4o-mini"));
    boolean stream = Boolean.TRUE.equals(request.get("stream"));
    boolean anthropic = path.endsWith("/messages");
    switch (model) {
      case "error-429" -> {
        exchange.getResponseHeaders().add("retry-after", "0");
        send(exchange, 429, "application/json", RATE_LIMIT_BODY);
        return;
      }
      case "error-500" -> {
        send(exchange, 500, "application/json", SERVER_ERROR_BODY);
        return;
      }
      case "echo-key" -> {
        String key =
            exchange.getRequestHeaders().getFirst(anthropic ? "x-api-key" : "Authorization");
        send(
            exchange,
            401,
            "application/json",
            json(
                Map.of(
                    "error",
                    Map.of(
                        "message",
                        "Incorrect API key provided: " + key,
                        "type",
                        "invalid_request_error",
                        "code",
                        "invalid_api_key"))));
        return;
      }
      default -> {}
    }
    boolean usage = !model.equals("no-usage");
    List<String> pieces = model.equals("slow") ? slowPieces() : PIECES;
    Duration delay = model.equals("slow") ? SLOW_DELAY : pieceDelay;
    String id = "chatcmpl-fake" + ids.incrementAndGet();
    exchange.getResponseHeaders().add("x-request-id", "req_" + id);
    if (path.endsWith("/chat/completions")) {
      if (stream) {
        boolean includeUsage =
            usage
                && request.get("stream_options") instanceof Map<?, ?> options
                && Boolean.TRUE.equals(options.get("include_usage"));
        chatStream(exchange, id, model, pieces, delay, includeUsage, model);
      } else {
        send(exchange, 200, "application/json", json(chatCompletion(id, model, usage)));
      }
    } else if (path.endsWith("/completions")) {
      send(exchange, 200, "application/json", json(textCompletion(id, model, usage)));
    } else if (path.endsWith("/embeddings")) {
      send(exchange, 200, "application/json", json(embeddings(request, model)));
    } else if (path.endsWith("/responses")) {
      send(exchange, 200, "application/json", json(response(id, model, usage)));
    } else if (anthropic) {
      if (stream) {
        messageStream(exchange, id, model, pieces, delay, usage);
      } else {
        send(exchange, 200, "application/json", json(message(id, model, usage)));
      }
    } else if (path.endsWith("/models")) {
      send(
          exchange,
          200,
          "application/json",
          json(
              Map.of(
                  "object",
                  "list",
                  "data",
                  List.of(Map.of("id", "gpt-4o-mini", "object", "model")))));
    } else {
      send(
          exchange,
          404,
          "application/json",
          json(
              Map.of(
                  "error",
                  Map.of("message", "no such path: " + path, "type", "invalid_request_error"))));
    }
  }

  /** Thrown to break a stream off: the connection closes without the answer's end. */
  private static final class BreakOff extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BreakOff() {
      super("breaking the stream on purpose", null, false, false);
    }
  }

  private static List<String> slowPieces() {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < SLOW_PIECES; i++) {
      pieces.add(PIECES.get(i % PIECES.size()));
    }
    return pieces;
  }

  /** What every OpenAI answer object starts with. */
  private static Map<String, Object> head(String id, String object, String model) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    answer.put("object", object);
    answer.put("created", 1_767_225_600L);
    answer.put("model", model);
    return answer;
  }

  private static Map<String, Object> chatCompletion(String id, String model, boolean usage) {
    Map<String, Object> answer = head(id, "chat.completion", model);
    answer.put(
        "choices",
        List.of(
            Map.of(
                "index",
                0,
                "message",
                Map.of("role", "assistant", "content", ANSWER),
                "finish_reason",
                "stop")));
    if (usage) {
      answer.put("usage", openAiUsage());
    }
    return answer;
  }

  private static Map<String, Object> openAiUsage() {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", PROMPT_TOKENS);
    usage.put("completion_tokens", COMPLETION_TOKENS);
    usage.put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
    usage.put("prompt_tokens_details", Map.of("cached_tokens", CACHED_TOKENS));
    usage.put("completion_tokens_details", Map.of("reasoning_tokens", REASONING_TOKENS));
    return usage;
  }

  private static Map<String, Object> textCompletion(String id, String model, boolean usage) {
    Map<String, Object> answer = head(id, "text_completion", model);
    answer.put("choices", List.of(Map.of("index", 0, "text", ANSWER, "finish_reason", "stop")));
    if (usage) {
      answer.put(
          "usage",
          Map.of(
              "prompt_tokens",
              PROMPT_TOKENS,
              "completion_tokens",
              COMPLETION_TOKENS,
              "total_tokens",
              PROMPT_TOKENS + COMPLETION_TOKENS));
    }
    return answer;
  }

  private static Map<String, Object> embeddings(Map<String, Object> request, String model) {
    Object input = request.get("input");
    int count = input instanceof List<?> list ? list.size() : 1;
    List<Object> data = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Object> vector = new ArrayList<>();
      for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
        vector.add((i + 1) * 0.01 + d * 0.001);
      }
      data.add(Map.of("object", "embedding", "index", i, "embedding", vector));
    }
    return Map.of(
        "object",
        "list",
        "data",
        data,
        "model",
        model,
        "usage",
        Map.of("prompt_tokens", PROMPT_TOKENS, "total_tokens", PROMPT_TOKENS));
  }

  private static Map<String, Object> response(String id, String model, boolean usage) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", "resp_" + id);
    answer.put("object", "response");
    answer.put("created_at", 1_767_225_600L);
    answer.put("status", "completed");
    answer.put("model", model);
    answer.put(
        "output",
        List.of(
            Map.of(
                "type",
                "message",
                "id",
                "msg_" + id,
                "status",
                "completed",
                "role",
                "assistant",
                "content",
                List.of(Map.of("type", "output_text", "text", ANSWER, "annotations", List.of())))));
    if (usage) {
      answer.put(
          "usage",
          Map.of(
              "input_tokens",
              PROMPT_TOKENS,
              "output_tokens",
              COMPLETION_TOKENS,
              "total_tokens",
              PROMPT_TOKENS + COMPLETION_TOKENS,
              "input_tokens_details",
              Map.of("cached_tokens", CACHED_TOKENS),
              "output_tokens_details",
              Map.of("reasoning_tokens", REASONING_TOKENS)));
    }
    return answer;
  }

  private static Map<String, Object> message(String id, String model, boolean usage) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", "msg_" + id);
    answer.put("type", "message");
    answer.put("role", "assistant");
    answer.put("model", model);
    answer.put("content", List.of(Map.of("type", "text", "text", ANSWER)));
    answer.put("stop_reason", "end_turn");
    answer.put("stop_sequence", null);
    answer.put(
        "usage",
        usage ? anthropicUsage(COMPLETION_TOKENS) : Map.of("input_tokens", 0, "output_tokens", 0));
    return answer;
  }

  private static Map<String, Object> anthropicUsage(int outputTokens) {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", PROMPT_TOKENS - CACHED_TOKENS - CACHE_CREATION_TOKENS);
    usage.put("cache_creation_input_tokens", CACHE_CREATION_TOKENS);
    usage.put("cache_read_input_tokens", CACHED_TOKENS);
    usage.put("output_tokens", outputTokens);
    return usage;
  }

  private void chatStream(
      HttpExchange exchange,
      String id,
      String model,
      List<String> pieces,
      Duration delay,
      boolean includeUsage,
      String behaviour)
      throws IOException {
    OutputStream out = startStream(exchange);
    event(
        out,
        null,
        chunk(id, model, Map.of("role", "assistant", "content", ""), null, includeUsage));
    int sent = 0;
    for (String piece : pieces) {
      pause(delay);
      event(out, null, chunk(id, model, Map.of("content", piece), null, includeUsage));
      sent++;
      if (behaviour.equals("break") && sent == 3) {
        throw new BreakOff();
      }
      if (behaviour.equals("gated") && sent == 1) {
        try {
          if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IOException("nobody released the gated stream");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    event(out, null, chunk(id, model, Map.of(), "stop", includeUsage));
    if (includeUsage) {
      Map<String, Object> last = head(id, "chat.completion.chunk", model);
      last.put("choices", List.of());
      last.put("usage", openAiUsage());
      event(out, null, json(last));
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String chunk(
      String id, String model, Map<String, Object> delta, String finishReason, boolean usageField) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("finish_reason", finishReason);
    Map<String, Object> chunk = head(id, "chat.completion.chunk", model);
    chunk.put("choices", List.of(choice));
    if (usageField) {
      chunk.put("usage", null);
    }
    return json(chunk);
  }

  private void messageStream(
      HttpExchange exchange,
      String id,
      String model,
      List<String> pieces,
      Duration delay,
      boolean usage)
      throws IOException {
    OutputStream out = startStream(exchange);
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("id", "msg_" + id);
    start.put("type", "message");
    start.put("role", "assistant");
    start.put("model", model);
    start.put("content", List.of());
    start.put("stop_reason", null);
    start.put("stop_sequence", null);
    start.put("usage", usage ? anthropicUsage(1) : Map.of("input_tokens", 0, "output_tokens", 0));
    event(out, "message_start", json(Map.of("type", "message_start", "message", start)));
    event(
        out,
        "content_block_start",
        json(
            Map.of(
                "type",
                "content_block_start",
                "index",
                0,
                "content_block",
                Map.of("type", "text", "text", ""))));
    event(out, "ping", "{\"type\": \"ping\"}");
    for (String piece : pieces) {
      pause(delay);
      event(
          out,
          "content_block_delta",
          json(
              Map.of(
                  "type",
                  "content_block_delta",
                  "index",
                  0,
                  "delta",
                  Map.of("type", "text_delta", "text", piece))));
    }
    event(out, "content_block_stop", json(Map.of("type", "content_block_stop", "index", 0)));
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", "end_turn");
    delta.put("stop_sequence", null);
    event(
        out,
        "message_delta",
        json(
            Map.of(
                "type",
                "message_delta",
                "delta",
                delta,
                "usage",
                Map.of("output_tokens", usage ? COMPLETION_TOKENS : 0))));
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
  }

  private static OutputStream startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void event(OutputStream out, String name, String data) throws IOException {
    String event = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void pause(Duration delay) throws IOException {
    if (delay.isZero()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String json(Object value) {
    StringWriter out = new StringWriter();
    try (var gen = LlmLogJson.factory().createGenerator(out)) {
      JsonMaps.write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
