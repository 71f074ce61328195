package io.llmlog.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/** A real HTTP receiver on a loopback port that keeps every request and answers from a function. */
final class Receiver implements AutoCloseable {
  /** One request as received; {@code lines} is the gunzipped body split into lines. */
  record Request(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      List<String> lines,
      long receivedNanos) {
    String header(String name) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) {
          return header.getValue().get(0);
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return method + " " + path + " " + headers + " (" + lines.size() + " lines)";
    }
  }

  /** What to answer. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply accepted(int count) {
      return new Reply(
          200,
          Map.of("Content-Type", "application/json"),
          "{\"accepted\":" + count + ",\"rejected\":0,\"errors\":[]}");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private volatile Function<Request, Reply> answer =
      request -> Reply.accepted(request.lines().size());

  Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "receiver");
              thread.setDaemon(true);
              return thread;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Receiver answer(Function<Request, Reply> answer) {
    this.answer = answer;
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<String> lines(String path) {
    List<String> lines = new ArrayList<>();
    for (Request request : requests) {
      if (request.path().equals(path)) {
        lines.addAll(request.lines());
      }
    }
    return lines;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    String text = new String(gzip ? gunzip(body) : body, StandardCharsets.UTF_8);
    List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            body,
            lines,
            System.nanoTime());
    synchronized (this) {
      requests.add(request);
    }
    Reply reply = answer.apply(request);
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] replyBody =
        reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), replyBody.length == 0 ? -1 : replyBody.length);
    if (replyBody.length > 0) {
      exchange.getResponseBody().write(replyBody);
    }
    exchange.close();
  }

  static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
