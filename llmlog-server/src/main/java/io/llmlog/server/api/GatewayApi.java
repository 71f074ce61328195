package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.gateway.CallTags;
import io.llmlog.server.gateway.ForwardedHeaders;
import io.llmlog.server.gateway.Gateway;
import io.llmlog.server.gateway.GatewayCall;
import io.llmlog.server.gateway.GatewaySettings;
import io.llmlog.server.gateway.GatewayStats;
import io.llmlog.server.gateway.Upstream;
import io.llmlog.server.ingest.BadRequestException;
import io.llmlog.server.ingest.PayloadTooLargeException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The logging gateway's HTTP side, {@code /gateway/<upstream>/...} on the native port. Unlike the
 * other routes it does not answer from a buffer: the upstream's answer is relayed chunk by chunk as
 * it arrives (each chunk written and flushed before the next is read), so a stream reaches the
 * client as the model generates it. The request body is read whole first, within {@code
 * gateway.max_request_bytes}, because it is small and the record needs it.
 *
 * <p>Errors the gateway answers itself are written in the upstream family's error shape, so that
 * the client's SDK shows their message. With API keys configured, the gateway needs an {@code
 * ingest} key in {@code X-Llmlog-Api-Key}: {@code Authorization} belongs to the upstream.
 */
final class GatewayApi {
  static final String PREFIX = "/gateway/";
  static final String KEY_HEADER = "X-Llmlog-Api-Key";
  private static final Logger LOG = LogManager.getLogger(GatewayApi.class);

  private final Gateway gateway;
  private final Authenticator authenticator;
  private final ObjectMapper json;
  private final LlmlogConfig.Limits limits;
  private final Clock clock;

  GatewayApi(
      Gateway gateway,
      Authenticator authenticator,
      ObjectMapper json,
      LlmlogConfig.Limits limits,
      Clock clock) {
    this.gateway = gateway;
    this.authenticator = authenticator;
    this.json = json;
    GatewaySettings settings = gateway.settings();
    // The request body is read with ingest's reader, within the gateway's own size limit.
    this.limits =
        new LlmlogConfig.Limits(
            settings.maxRequestBytes(),
            settings.maxRequestBytes(),
            limits.maxJsonDepth(),
            limits.maxStringLength(),
            limits.maxRecordsPerRequest(),
            limits.maxMetadataKeys(),
            limits.maxFutureSkew());
    this.clock = clock;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/stats/gateway", Role.READ, this::stats);
  }

  /** The gateway's counters. */
  private void stats(Exchange exchange) throws Exception {
    GatewayStats stats = gateway.stats();
    ObjectNode body = json.createObjectNode();
    body.put("in_flight", stats.inFlight());
    body.set("calls", json.valueToTree(stats.calls()));
    body.set("refused", json.valueToTree(stats.refused()));
    body.set("records", json.valueToTree(stats.records()));
    ObjectNode queue = body.putObject("queue");
    queue.put("records", stats.waitingRecords());
    queue.put("bytes", stats.waitingBytes());
    queue.put("max_records", gateway.settings().queueRecords());
    queue.put("max_bytes", gateway.settings().queueBytes());
    body.put("ingest_retries", stats.ingestRetries());
    ObjectNode upstreams = body.putObject("upstreams");
    gateway
        .settings()
        .upstreams()
        .values()
        .forEach(
            upstream ->
                upstreams
                    .putObject(upstream.name())
                    .put("family", upstream.family().key())
                    .put("url", upstream.base().toString()));
    exchange.json(200, body);
  }

  /** Handles one gateway request; always answers, through {@code callback}. */
  void handle(Request request, Response response, Callback callback) {
    long startNanos = System.nanoTime();
    Instant started = clock.instant();
    Exchange exchange = new Exchange(request, response, callback, json, limits, Map.of());
    String path = request.getHttpURI().getPath();
    String below = path.substring(PREFIX.length());
    int slash = below.indexOf('/');
    Upstream upstream =
        gateway.settings().enabled()
            ? gateway.settings().upstream(slash < 0 ? below : below.substring(0, slash))
            : null;
    ErrorStyle style =
        upstream != null && upstream.family() == Upstream.Family.ANTHROPIC
            ? ErrorStyle.ANTHROPIC
            : ErrorStyle.OPENAI;
    if (upstream == null || slash < 0 || slash == below.length() - 1) {
      String reason =
          !gateway.settings().enabled()
              ? "the logging gateway is turned off (gateway.enabled)"
              : upstream == null
                  ? "no upstream named '"
                      + (slash < 0 ? below : below.substring(0, slash))
                      + "'; the configured ones are "
                      + String.join(", ", gateway.settings().upstreams().keySet())
                      + " (gateway.upstreams)"
                  : "give the upstream's path after its name, such as "
                      + PREFIX
                      + upstream.name()
                      + "/v1/chat/completions";
      refuse(exchange, style, 404, "not_found_error", "unknown_upstream", reason);
      return;
    }
    if (!authorized(exchange, style)) {
      return;
    }
    if (!gateway.enter()) {
      exchange.header("Retry-After", "1");
      fail(
          exchange,
          style,
          503,
          "overloaded_error",
          "the logging gateway is at its limit of "
              + gateway.settings().maxConcurrentCalls()
              + " calls at once (gateway.max_concurrent_calls); retry shortly");
      return;
    }
    AtomicBoolean left = new AtomicBoolean();
    Runnable leave =
        () -> {
          if (left.compareAndSet(false, true)) {
            gateway.leave();
          }
        };
    try {
      byte[] body = exchange.body().bytes();
      CallTags tags = CallTags.read(request.getHeaders());
      String rest = below.substring(slash);
      URI uri = upstream.resolve(rest, request.getHttpURI().getQuery());
      GatewayCall call =
          gateway.begin(
              upstream,
              request.getMethod(),
              rest,
              request.getHeaders(),
              tags,
              started,
              startNanos,
              body);
      relay(request, response, callback, exchange, style, call, uri, body, leave);
    } catch (PayloadTooLargeException e) {
      leave.run();
      refuse(
          exchange,
          style,
          413,
          "request_too_large",
          "too_large",
          "the request body is larger than the gateway's limit of "
              + gateway.settings().maxRequestBytes()
              + " bytes (gateway.max_request_bytes)");
    } catch (BadRequestException | IllegalArgumentException e) {
      leave.run();
      refuse(exchange, style, 400, "invalid_request_error", "bad_request", e.getMessage());
    } catch (Throwable e) {
      leave.run();
      LOG.error("gateway: {} {} failed", request.getMethod(), path, e);
      fail(
          exchange,
          style,
          500,
          "api_error",
          "the logging gateway failed to forward this call; the llmlog server's log has the details");
    }
  }

  /** With API keys configured, the gateway's own key must be an ingest (or admin) key. */
  private boolean authorized(Exchange exchange, ErrorStyle style) {
    if (!authenticator.enabled()) {
      return true;
    }
    Role role = authenticator.authenticateKey(exchange.header(KEY_HEADER));
    if (role == null) {
      refuse(
          exchange,
          style,
          401,
          "authentication_error",
          "unauthorized",
          "missing or invalid llmlog API key: this llmlog requires "
              + KEY_HEADER
              + ": <an ingest key> on gateway calls (Authorization is passed to the upstream)");
      return false;
    }
    if (!role.allows(Role.INGEST)) {
      refuse(
          exchange,
          style,
          403,
          "permission_error",
          "forbidden",
          "the llmlog API key in "
              + KEY_HEADER
              + " has the role '"
              + role.name().toLowerCase(java.util.Locale.ROOT)
              + "'; gateway calls need an 'ingest' or 'admin' key");
      return false;
    }
    return true;
  }

  private void relay(
      Request request,
      Response response,
      Callback callback,
      Exchange exchange,
      ErrorStyle style,
      GatewayCall call,
      URI uri,
      byte[] body,
      Runnable leave) {
    // Everything from here on runs in the upstream client's callbacks: no thread waits for the
    // answer.
    AtomicBoolean begun = new AtomicBoolean();
    org.eclipse.jetty.client.Request upstream =
        gateway.upstreamRequest(call, uri, request.getMethod(), request.getHeaders(), body);
    // A client that goes away while the upstream thinks stops the upstream call too.
    request.addFailureListener(upstream::abort);
    // The wait for an answer is bounded by the upstream timeouts, not by the client connection's
    // idle timeout.
    request.addIdleTimeoutListener(timeout -> false);
    upstream
        .onResponseContentSource(
            (answer, source) -> {
              if (begun.compareAndSet(false, true)) {
                try {
                  answer(response, callback, call, answer, source, leave);
                } catch (RuntimeException e) {
                  LOG.error(
                      "gateway: relaying the answer of upstream '{}' failed",
                      call.upstream().name(),
                      e);
                  source.fail(e);
                  call.end(
                      GatewayCall.End.UPSTREAM_ERROR,
                      "the gateway failed to relay the answer: " + describe(e));
                  leave.run();
                  gateway.finish(call);
                  callback.failed(e);
                }
              }
            })
        .send(
            result -> {
              if (result.isFailed() && begun.compareAndSet(false, true)) {
                noAnswer(exchange, style, call, result.getFailure(), leave);
              }
            });
  }

  /** The upstream failed before it answered: 502 (unreachable) or 504 (timeout), logged. */
  private void noAnswer(
      Exchange exchange, ErrorStyle style, GatewayCall call, Throwable cause, Runnable leave) {
    boolean timeout =
        cause instanceof TimeoutException
            && !String.valueOf(cause.getMessage())
                .toLowerCase(java.util.Locale.ROOT)
                .contains("connect");
    String reason =
        timeout
            ? "upstream '"
                + call.upstream().name()
                + "' did not answer within "
                + describeTimeout(call)
            : "cannot reach upstream '"
                + call.upstream().name()
                + "' at "
                + call.upstream().base()
                + ": "
                + describe(cause);
    call.end(timeout ? GatewayCall.End.TIMEOUT : GatewayCall.End.UNREACHABLE, reason);
    leave.run();
    gateway.finish(call);
    exchange.header("X-Llmlog-Request-Id", call.tags().requestId());
    fail(exchange, style, timeout ? 504 : 502, timeout ? "timeout_error" : "bad_gateway", reason);
  }

  /**
   * The upstream answered: its status and headers go out at once, its body chunk by chunk as it
   * arrives.
   */
  private void answer(
      Response response,
      Callback callback,
      GatewayCall call,
      org.eclipse.jetty.client.Response upstreamAnswer,
      Content.Source source,
      Runnable leave) {
    response.setStatus(upstreamAnswer.getStatus());
    HttpFields headers = upstreamAnswer.getHeaders();
    Set<String> connection = ForwardedHeaders.connectionTokens(headers);
    HttpFields.Mutable out = response.getHeaders();
    for (HttpField field : headers) {
      if (ForwardedHeaders.response(field, connection)) {
        out.add(field);
      }
    }
    out.put("X-Llmlog-Request-Id", call.tags().requestId());
    call.answered(upstreamAnswer.getStatus(), headers.get(HttpHeader.CONTENT_TYPE));
    AtomicBoolean upstreamBroke = new AtomicBoolean();
    // Each chunk is kept for the record as it passes; the copy writes it on (return false). The end
    // is
    // non-blocking (counting, queueing, completing the exchange never wait), so the copy may run in
    // the I/O thread.
    Content.copy(
        source,
        response,
        (chunk, next) -> {
          if (Content.Chunk.isFailure(chunk)) {
            upstreamBroke.set(true);
          } else {
            call.passed(chunk.getByteBuffer());
          }
          return false;
        },
        Callback.from(
            Invocable.InvocationType.NON_BLOCKING,
            () -> {
              call.end(GatewayCall.End.COMPLETED, null);
              leave.run();
              gateway.finish(call);
              callback.succeeded();
            },
            failure -> {
              boolean broke = upstreamBroke.get();
              String reason =
                  broke
                      ? (failure instanceof TimeoutException
                          ? "upstream '"
                              + call.upstream().name()
                              + "' sent nothing for "
                              + describeTimeout(call)
                          : "the answer of upstream '"
                              + call.upstream().name()
                              + "' broke off: "
                              + describe(failure))
                      : null;
              call.end(broke ? GatewayCall.End.UPSTREAM_ERROR : GatewayCall.End.CANCELLED, reason);
              leave.run();
              gateway.finish(call);
              // The answer has begun: all that is left is to break the connection, which tells the
              // client the stream is incomplete.
              callback.failed(failure);
            }));
  }

  private String describeTimeout(GatewayCall call) {
    GatewaySettings settings = gateway.settings();
    return call.streamed()
        ? settings.streamIdleTimeout().toSeconds() + " s (gateway.stream_idle_timeout)"
        : settings.readTimeout().toSeconds() + " s (gateway.read_timeout)";
  }

  /** An exception as a short reason that names no header and no body (so no credential). */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private void refuse(
      Exchange exchange, ErrorStyle style, int status, String type, String counted, String reason) {
    gateway.refused(counted);
    fail(exchange, style, status, type, reason);
  }

  private void fail(Exchange exchange, ErrorStyle style, int status, String type, String reason) {
    try {
      exchange.json(status, style.render(json, status, type, "llmlog gateway: " + reason));
    } catch (Exception e) {
      LOG.warn("gateway: could not write an error answer: {}", e.toString());
    }
  }
}
