package io.llmlog.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.ingest.IngestService;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The logging gateway: forwards calls to the configured upstreams with Jetty's HTTP client (one
 * HTTP/1.1 keep-alive pool per upstream, TLS with the JDK's trusted certificates) and logs each
 * finished call through the {@link CallRecorder}. The HTTP side ({@code api}) relays the bytes;
 * this class prepares what goes upstream and decides nothing that could delay a call on logging.
 */
public final class Gateway implements AutoCloseable {
  private static final byte[] STREAM_KEY = "\"stream\"".getBytes(StandardCharsets.US_ASCII);
  private final GatewaySettings settings;
  private final HttpClient client;
  private final Semaphore permits;
  private final GatewayMetrics metrics;
  private final CallRecorder recorder;
  private final ObjectMapper json;

  private Gateway(
      GatewaySettings settings,
      HttpClient client,
      GatewayMetrics metrics,
      CallRecorder recorder,
      ObjectMapper json) {
    this.settings = settings;
    this.client = client;
    this.permits = new Semaphore(settings.maxConcurrentCalls());
    this.metrics = metrics;
    this.recorder = recorder;
    this.json = json;
  }

  /** Starts the upstream client and the recorder. */
  public static Gateway start(
      GatewaySettings settings, IngestService ingest, ObjectMapper json, MeterRegistry meters) {
    QueuedThreadPool threads =
        new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 2);
    threads.setName("llmlog-gateway-client");
    threads.setDaemon(true);
    HttpClient client = new HttpClient();
    client.setExecutor(threads);
    client.setName("llmlog-gateway");
    client.setConnectTimeout(settings.connectTimeout().toMillis());
    // Pooled connections to an upstream are closed after this long unused.
    client.setIdleTimeout(60_000);
    client.setMaxConnectionsPerDestination(settings.maxConcurrentCalls());
    client.setMaxRequestsQueuedPerDestination(settings.maxConcurrentCalls());
    client.setFollowRedirects(false);
    // The application's own User-Agent goes upstream, not Jetty's.
    client.setUserAgentField(null);
    // Cookies an upstream sets belong to the application that called, never to the next caller.
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the gateway's HTTP client: " + e.getMessage(), e);
    }
    // Answers are read for the record and relayed as they came, so they must arrive uncompressed:
    // without decoders the client asks for no compression and decodes nothing. (Starting adds the
    // default gzip decoder, so this comes after.)
    client.getContentDecoderFactories().clear();
    CallRecorder[] recorder = new CallRecorder[1];
    GatewayMetrics metrics =
        new GatewayMetrics(
            meters,
            settings.upstreams().values(),
            () -> recorder[0] == null ? 0 : recorder[0].waitingRecords(),
            () -> recorder[0] == null ? 0 : recorder[0].waitingBytes());
    recorder[0] =
        new CallRecorder(
            ingest,
            new RecordBuilder(json),
            metrics,
            settings.queueRecords(),
            settings.queueBytes());
    return new Gateway(settings, client, metrics, recorder[0], json);
  }

  public GatewaySettings settings() {
    return settings;
  }

  /**
   * Takes a place among the concurrent calls; false when all {@code gateway.max_concurrent_calls}
   * are taken.
   */
  public boolean enter() {
    if (!permits.tryAcquire()) {
      metrics.refused("busy");
      return false;
    }
    metrics.inFlight.incrementAndGet();
    return true;
  }

  /** Gives back the place {@link #enter} took. */
  public void leave() {
    metrics.inFlight.decrementAndGet();
    permits.release();
  }

  /** Counts a call the gateway answered itself (one of {@link GatewayMetrics#REFUSALS}). */
  public void refused(String reason) {
    metrics.refused(reason);
  }

  /**
   * Begins a call: what the client sent, read for the record later.
   *
   * @param rawPath the path below the upstream's name, still URL-encoded
   */
  public GatewayCall begin(
      Upstream upstream,
      String method,
      String rawPath,
      HttpFields headers,
      CallTags tags,
      Instant started,
      long startNanos,
      byte[] body) {
    Operation operation = Operation.of(upstream.family(), method, rawPath);
    boolean stream = operation != null && body.length > 0 && streams(body);
    return new GatewayCall(
        upstream,
        operation,
        tags,
        started,
        startNanos,
        Capture.of(operation == null ? new byte[0] : body, settings.maxCaptureBytes()),
        stream,
        secrets(headers),
        settings.maxCaptureBytes());
  }

  /**
   * The request to send upstream: the client's method, body and headers less those that stop at the
   * gateway, the trace with the call's own span, and the timeout that fits (stream or not). An
   * OpenAI-compatible stream that did not say whether it wants usage is asked for it.
   */
  public Request upstreamRequest(
      GatewayCall call, URI uri, String method, HttpFields headers, byte[] body) {
    HttpFields.Mutable forwarded = ForwardedHeaders.request(headers);
    if (call.tags.traced()) {
      forwarded.put("traceparent", call.tags.upstreamTraceparent());
    }
    long idle = (call.stream ? settings.streamIdleTimeout() : settings.readTimeout()).toMillis();
    Request request =
        client
            .newRequest(uri)
            .method(method)
            .version(HttpVersion.HTTP_1_1)
            .idleTimeout(idle, TimeUnit.MILLISECONDS)
            .headers(h -> h.add(forwarded));
    if (body.length > 0) {
      byte[] sent = call.stream && wantsUsage(call) ? withUsage(body) : body;
      request.body(new BytesRequestContent(headers.get(HttpHeader.CONTENT_TYPE), sent));
    }
    return request;
  }

  /** Ends a call: counts it and hands a logged call to the recorder. Never blocks. */
  public void finish(GatewayCall call) {
    if (call.logged()) {
      recorder.offer(call);
    }
    // Counted last: whoever sees the count sees the record offered.
    metrics.call(
        call.upstream,
        call.end() == GatewayCall.End.COMPLETED
            ? (call.status() >= 400 ? "error" : "ok")
            : call.end().outcome());
  }

  public GatewayStats stats() {
    return metrics.snapshot(recorder.waitingRecords(), recorder.waitingBytes());
  }

  /**
   * True for the OpenAI chat and text completion streams, where usage comes only when asked for.
   */
  private static boolean wantsUsage(GatewayCall call) {
    return call.upstream.family() == Upstream.Family.OPENAI
        && (call.operation == Operation.CHAT || call.operation == Operation.TEXT_COMPLETION);
  }

  /**
   * The body with {@code stream_options.include_usage: true} added, unless the client said either
   * way: an explicit {@code false} is the client's choice, and its tokens are then estimated.
   */
  private byte[] withUsage(byte[] body) {
    try {
      JsonNode tree = json.readTree(body);
      if (!(tree instanceof ObjectNode request)) {
        return body;
      }
      JsonNode options = request.get("stream_options");
      if (options instanceof ObjectNode given) {
        if (given.has("include_usage")) {
          return body;
        }
        given.put("include_usage", true);
      } else if (options == null || options.isNull()) {
        request.putObject("stream_options").put("include_usage", true);
      } else {
        return body;
      }
      return json.writeValueAsBytes(request);
    } catch (IOException notJson) {
      return body;
    }
  }

  /**
   * True when the body asks for a stream; looked for as bytes first, so that most bodies are not
   * parsed here.
   */
  private boolean streams(byte[] body) {
    if (!contains(body, STREAM_KEY)) {
      return false;
    }
    try {
      JsonNode tree = json.readTree(body);
      return tree != null && tree.path("stream").asBoolean(false);
    } catch (IOException notJson) {
      return false;
    }
  }

  private static boolean contains(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i <= bytes.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * The credentials the client sent, so that they can be scrubbed from anything an upstream echoes.
   */
  private static List<String> secrets(HttpFields headers) {
    List<String> secrets = new ArrayList<>(2);
    for (String name : List.of("authorization", "x-api-key", "api-key", "x-goog-api-key")) {
      for (String value : headers.getValuesList(name)) {
        String trimmed = value.trim();
        int space = trimmed.indexOf(' ');
        String credential = space > 0 ? trimmed.substring(space + 1).trim() : trimmed;
        if (credential.length() >= 8) {
          secrets.add(credential);
        }
      }
    }
    return List.copyOf(secrets);
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // Stopping: connections are closed anyway.
    }
    recorder.close();
  }
}
