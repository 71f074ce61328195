package io.llmlog.core.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmlog.core.codec.JsonMaps;
import io.llmlog.core.codec.LlmLogJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenAI-compatible chat and embeddings server for tests and benchmarks of the Java
 * integrations: the real OpenAI clients of LangChain4j and Spring AI talk to it over HTTP on a
 * loopback port.
 *
 * <ul>
 *   <li>{@code POST .../chat/completions}: answers {@code "Echo: <last user text>"} with usage
 *       (words counted as tokens; 2 cached input tokens, 1 reasoning token), finish reason {@code
 *       stop}; when the request offers tools, a call of the first tool with {@code
 *       {"city":"Paris"}} and finish reason {@code tool_calls}; with {@code "stream": true}, the
 *       same as server-sent events, one word a chunk, {@link #streamChunkDelay} apart, the usage in
 *       a last chunk of its own;
 *   <li>a last user message containing {@value #FAIL} gets a 400 with OpenAI's error body, whose
 *       message is {@value #ERROR_MESSAGE};
 *   <li>{@code POST .../embeddings}: a 4-dimension vector per input;
 *   <li>{@code POST /api/v1/logs}: a stand-in for llmlog's ingest that reads and accepts every
 *       batch ({@link #llmlogIngest()}), for benchmarks that need the SDK to ship without a real
 *       server.
 * </ul>
 */
public final class FakeOpenAi implements AutoCloseable {
  /** A last user message containing this gets an error answer. */
  public static final String FAIL = "please fail";

  /** The error answer's message. */
  public static final String ERROR_MESSAGE =
      "This model's maximum context length is 8192 tokens (fake)";

  /** The model named in answers when the request names none. */
  public static final String MODEL = "gpt-4o-mini";

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Duration streamChunkDelay = Duration.ofMillis(20);
  private volatile Duration firstChunkDelay = Duration.ofMillis(60);

  private FakeOpenAi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts the server on a free loopback port. */
  public static FakeOpenAi start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              4,
              runnable -> {
                Thread thread = new Thread(runnable, "fake-openai");
                thread.setDaemon(true);
                return thread;
              });
      FakeOpenAi fake = new FakeOpenAi(server, executor);
      server.createContext("/", fake::handle);
      server.setExecutor(executor);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The base URL without a version, such as {@code http://127.0.0.1:41234}; paths are matched by
   * their end.
   */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * {@link #baseUrl()} + {@code /v1}, what OpenAI clients that append only the operation expect.
   */
  public URI v1() {
    return URI.create(baseUrl() + "/v1");
  }

  /** The base URL to give an {@code LlmLogger} whose records this server accepts and discards. */
  public URI llmlogIngest() {
    return baseUrl();
  }

  /**
   * How long streamed answers wait before their first chunk (default 60 ms) and between chunks
   * (default 20 ms).
   */
  public FakeOpenAi streamDelays(Duration firstChunk, Duration betweenChunks) {
    this.firstChunkDelay = firstChunk;
    this.streamChunkDelay = betweenChunks;
    return this;
  }

  /** Requests answered so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/api/v1/logs")) {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        json(exchange, 200, Map.of("accepted", 0, "rejected", 0, "errors", List.of()));
        return;
      }
      requests.incrementAndGet();
      Map<String, Object> request = JsonMaps.readObject(exchange.getRequestBody());
      if (path.endsWith("/embeddings")) {
        json(exchange, 200, embeddings(request));
      } else if (path.endsWith("/chat/completions")) {
        chat(exchange, request);
      } else {
        json(exchange, 404, error("no such path: " + path, "not_found"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void chat(HttpExchange exchange, Map<String, Object> request)
      throws IOException, InterruptedException {
    String model = request.get("model") instanceof String name ? name : MODEL;
    List<?> messages = request.get("messages") instanceof List<?> list ? list : List.of();
    String lastUser = lastUserText(messages);
    if (lastUser.contains(FAIL)) {
      json(exchange, 400, error(ERROR_MESSAGE, "invalid_request_error"));
      return;
    }
    String tool =
        request.get("tools") instanceof List<?> tools && !tools.isEmpty()
            ? firstToolName(tools.get(0))
            : null;
    String answer = "Echo: " + lastUser;
    Map<String, Object> usage = usage(words(messages), tool != null ? 5 : words(answer));
    if (Boolean.TRUE.equals(request.get("stream"))) {
      stream(exchange, model, answer, tool, usage);
      return;
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", tool != null ? null : answer);
    if (tool != null) {
      message.put("tool_calls", List.of(toolCall(tool)));
    }
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", tool != null ? "tool_calls" : "stop");
    Map<String, Object> body = completion("chat.completion", model, List.of(choice));
    body.put("usage", usage);
    json(exchange, 200, body);
  }

  private void stream(
      HttpExchange exchange, String model, String answer, String tool, Map<String, Object> usage)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    Thread.sleep(firstChunkDelay.toMillis());
    List<Map<String, Object>> deltas = new ArrayList<>();
    if (tool != null) {
      Map<String, Object> call = new LinkedHashMap<>(toolCall(tool));
      call.put("index", 0);
      deltas.add(Map.of("role", "assistant", "tool_calls", List.of(call)));
    } else {
      String[] words = answer.split(" ");
      for (int i = 0; i < words.length; i++) {
        Map<String, Object> delta = new LinkedHashMap<>();
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", (i == 0 ? "" : " ") + words[i]);
        deltas.add(delta);
      }
    }
    for (int i = 0; i < deltas.size(); i++) {
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("index", 0);
      choice.put("delta", deltas.get(i));
      choice.put(
          "finish_reason", i == deltas.size() - 1 ? (tool != null ? "tool_calls" : "stop") : null);
      event(out, completion("chat.completion.chunk", model, List.of(choice)));
      if (i < deltas.size() - 1) {
        Thread.sleep(streamChunkDelay.toMillis());
      }
    }
    Map<String, Object> last = completion("chat.completion.chunk", model, List.of());
    last.put("usage", usage);
    event(out, last);
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static Map<String, Object> embeddings(Map<String, Object> request) {
    Object input = request.get("input");
    List<?> inputs = input instanceof List<?> list ? list : List.of(String.valueOf(input));
    List<Object> data = new ArrayList<>();
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String text = String.valueOf(inputs.get(i));
      tokens += text.split("\\s+").length;
      data.add(
          Map.of(
              "object",
              "embedding",
              "index",
              i,
              "embedding",
              List.of(0.1, 0.2, 0.3, (double) text.length())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", data);
    body.put(
        "model", request.get("model") instanceof String name ? name : "text-embedding-3-small");
    body.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
    return body;
  }

  private static Map<String, Object> completion(String object, String model, List<Object> choices) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "chatcmpl-fake");
    body.put("object", object);
    body.put("created", System.currentTimeMillis() / 1000);
    body.put("model", model);
    body.put("choices", choices);
    return body;
  }

  private static Map<String, Object> toolCall(String tool) {
    return Map.of(
        "id",
        "call_1",
        "type",
        "function",
        "function",
        Map.of("name", tool, "arguments", "{\"city\":\"Paris\"}"));
  }

  private static Map<String, Object> usage(int input, int output) {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", input);
    usage.put("completion_tokens", output);
    usage.put("total_tokens", input + output);
    usage.put("prompt_tokens_details", Map.of("cached_tokens", 2));
    usage.put("completion_tokens_details", Map.of("reasoning_tokens", 1));
    return usage;
  }

  private static Map<String, Object> error(String message, String type) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    error.put("param", null);
    error.put("code", null);
    return Map.of("error", error);
  }

  private static String firstToolName(Object tool) {
    if (tool instanceof Map<?, ?> map
        && map.get("function") instanceof Map<?, ?> function
        && function.get("name") instanceof String name) {
      return name;
    }
    return "tool";
  }

  private static String lastUserText(List<?> messages) {
    String text = "";
    for (Object item : messages) {
      if (item instanceof Map<?, ?> message && "user".equals(message.get("role"))) {
        text = contentText(message.get("content"));
      }
    }
    return text;
  }

  private static String contentText(Object content) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof List<?> parts) {
      for (Object part : parts) {
        if (part instanceof Map<?, ?> map && map.get("text") instanceof String piece) {
          text.append(piece);
        }
      }
    }
    return text.toString();
  }

  private static int words(List<?> messages) {
    int count = 0;
    for (Object item : messages) {
      if (item instanceof Map<?, ?> message) {
        count += words(contentText(message.get("content")));
      }
    }
    return Math.max(count, 1);
  }

  private static int words(String text) {
    return text.isBlank() ? 0 : text.trim().split("\\s+").length;
  }

  private static void event(OutputStream out, Map<String, Object> chunk) throws IOException {
    out.write(("data: " + write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void json(HttpExchange exchange, int status, Map<String, Object> body)
      throws IOException {
    byte[] bytes = write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String write(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = LlmLogJson.factory().createGenerator(out)) {
      JsonMaps.write(gen, value);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
