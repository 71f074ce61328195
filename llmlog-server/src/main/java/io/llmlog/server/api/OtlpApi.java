package io.llmlog.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.Body;
import io.llmlog.server.otlp.OtlpBodies;
import io.llmlog.server.otlp.OtlpIngest;
import io.llmlog.server.store.EngineUnavailableException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * OTLP/HTTP as its specification defines it, on the main port and on the OTLP port: {@code POST
 * /v1/traces} and {@code /v1/logs} ingest, {@code /v1/metrics} answers 200 and discards. Answers
 * are in the request's encoding: 200 with an {@code Export…ServiceResponse} whose {@code
 * partial_success} counts and names what was rejected; errors as a {@code google.rpc.Status} — 400
 * for a body that cannot be decoded, 413 over the limits, 415 for another content type, and 429 or
 * 503 with {@code Retry-After} only when sending again can succeed.
 */
final class OtlpApi {
  static final Set<String> PATHS = Set.of("/v1/traces", "/v1/logs", "/v1/metrics");

  private final OtlpIngest otlp;
  private final OtlpBodies bodies;
  private final BooleanSupplier ready;

  OtlpApi(OtlpIngest otlp, OtlpBodies bodies, BooleanSupplier ready) {
    this.otlp = otlp;
    this.bodies = bodies;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("POST", "/v1/traces", Role.INGEST, this::traces);
    router.add("POST", "/v1/logs", Role.INGEST, this::logs);
    router.add("POST", "/v1/metrics", Role.INGEST, this::metrics);
  }

  /** True for the paths whose errors are OTLP's {@code Status} rather than llmlog's JSON. */
  static boolean handles(String path) {
    return PATHS.contains(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }

  private void traces(Exchange exchange) throws Exception {
    OtlpBodies.Format format = OtlpBodies.format(exchange.header("Content-Type"));
    Body body = exchange.body();
    requireReady();
    OtlpIngest.Result result = otlp.traces(bodies.traces(body, format), exchange.waitForRefresh());
    if (!retry(exchange, format, result)) {
      ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
      if (result.rejected() > 0) {
        response.setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(result.rejected())
                .setErrorMessage(result.message()));
      }
      send(exchange, format, 200, response.build());
    }
  }

  private void logs(Exchange exchange) throws Exception {
    OtlpBodies.Format format = OtlpBodies.format(exchange.header("Content-Type"));
    Body body = exchange.body();
    requireReady();
    OtlpIngest.Result result = otlp.logs(bodies.logs(body, format), exchange.waitForRefresh());
    if (!retry(exchange, format, result)) {
      ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
      if (result.rejected() > 0) {
        response.setPartialSuccess(
            ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(result.rejected())
                .setErrorMessage(result.message()));
      }
      send(exchange, format, 200, response.build());
    }
  }

  /**
   * Metrics are not llmlog's to keep: taken and dropped, so that an app exporting every signal logs
   * no errors.
   */
  private void metrics(Exchange exchange) throws Exception {
    OtlpBodies.Format format = OtlpBodies.format(exchange.header("Content-Type"));
    exchange.body();
    send(exchange, format, 200, ExportMetricsServiceResponse.getDefaultInstance());
  }

  /**
   * Answers 429 or 503 when some records could not be stored for now; the exporter then sends the
   * whole batch again, which stores nothing twice.
   */
  private static boolean retry(
      Exchange exchange, OtlpBodies.Format format, OtlpIngest.Result result)
      throws InvalidProtocolBufferException {
    if (result.retryStatus() == 0) {
      return false;
    }
    exchange.header("Retry-After", result.retryStatus() == 429 ? "1" : "5");
    String reason =
        result.retryStatus() == 429
            ? "the search engine is busy; send again"
            : "the search engine is unavailable; send again";
    sendStatus(exchange, format, result.retryStatus(), reason);
    return true;
  }

  /**
   * An error as OTLP answers it: a {@code google.rpc.Status} in the request's encoding (JSON when
   * it has none llmlog reads).
   */
  static void sendError(Exchange exchange, int status, String reason) {
    OtlpBodies.Format format;
    try {
      format = OtlpBodies.format(exchange.header("Content-Type"));
    } catch (RuntimeException unsupported) {
      format = OtlpBodies.Format.JSON;
    }
    try {
      sendStatus(exchange, format, status, reason);
    } catch (InvalidProtocolBufferException e) {
      exchange.text(status, "text/plain; charset=utf-8", reason);
    }
  }

  private static void sendStatus(
      Exchange exchange, OtlpBodies.Format format, int status, String reason)
      throws InvalidProtocolBufferException {
    send(
        exchange,
        format,
        status,
        Status.newBuilder().setCode(code(status).getNumber()).setMessage(reason).build());
  }

  private static Code code(int status) {
    return switch (status) {
      case 400, 415 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 403 -> Code.PERMISSION_DENIED;
      case 404 -> Code.NOT_FOUND;
      case 405 -> Code.UNIMPLEMENTED;
      case 413, 429 -> Code.RESOURCE_EXHAUSTED;
      case 503 -> Code.UNAVAILABLE;
      default -> Code.INTERNAL;
    };
  }

  private static void send(Exchange exchange, OtlpBodies.Format format, int status, Message message)
      throws InvalidProtocolBufferException {
    byte[] body =
        format == OtlpBodies.Format.PROTOBUF
            ? message.toByteArray()
            : JsonFormat.printer()
                .omittingInsignificantWhitespace()
                .print(message)
                .getBytes(StandardCharsets.UTF_8);
    exchange.send(status, format.contentType(), body);
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }
}
