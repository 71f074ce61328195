package io.llmlog.otlp.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A local OpenAI-compatible chat endpoint: a canned answer, or the same as server-sent events when
 * the request asks to stream, each with its usage. Stands in for the provider, which the tests
 * cannot reach.
 */
final class FakeOpenAi implements AutoCloseable {
  static final String MODEL = "gpt-4o-mini-2024-07-18";

  private final HttpServer server;

  private FakeOpenAi(HttpServer server) {
    this.server = server;
  }

  static FakeOpenAi start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", FakeOpenAi::handle);
    server.start();
    return new FakeOpenAi(server);
  }

  /** The base URL, as an application configures its provider's. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
      send(exchange, 404, "application/json", "{\"error\":{\"message\":\"only chat completions here\"}}");
      return;
    }
    if (request.replace(" ", "").contains("\"stream\":true")) {
      String id = "chatcmpl-stream";
      StringBuilder events = new StringBuilder();
      for (String chunk : List.of(
          "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"" + MODEL
              + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Logs \"},\"finish_reason\":null}]}",
          "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"" + MODEL
              + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"every call.\"},\"finish_reason\":null}]}",
          "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"" + MODEL
              + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
          "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"" + MODEL
              + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}",
          "[DONE]")) {
        events.append("data: ").append(chunk).append("\n\n");
      }
      send(exchange, 200, "text/event-stream", events.toString());
      return;
    }
    send(exchange, 200, "application/json", "{\"id\":\"chatcmpl-canned\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"" + MODEL
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"llmlog keeps every LLM call.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}");
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
