package io.llmlog.server.otlp;

import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.internal.StandardComponentId.ExporterType;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry Java SDK configured the way applications configure it (the {@code
 * OTEL_EXPORTER_OTLP_*} settings), exporting to an llmlog; batches go out when the test flushes
 * them.
 *
 * <p>{@code http/json}: the SDK's exporters can write OTLP/JSON, but its autoconfiguration does not
 * offer it yet, so for JSON the configured exporters are replaced by the same exporter code
 * switched to JSON ({@code HttpExporterBuilder.exportAsJson()}, the SDK's own JSON marshalers and
 * sender).
 */
public final class OtlpSdk implements AutoCloseable {
  private final OpenTelemetrySdk sdk;

  /**
   * @param endpoint llmlog's base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT}
   * @param protocol {@code http/protobuf} or {@code http/json}
   */
  public OtlpSdk(URI endpoint, String protocol, String service, Map<String, String> more) {
    Map<String, String> properties = new LinkedHashMap<>();
    String base = endpoint.toString();
    properties.put(
        "otel.exporter.otlp.endpoint",
        base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.traces.exporter", "otlp");
    properties.put("otel.logs.exporter", "otlp");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.service.name", service);
    properties.put("otel.resource.attributes", "deployment.environment.name=test");
    properties.put("otel.bsp.schedule.delay", "600000");
    properties.put("otel.blrp.schedule.delay", "600000");
    properties.put("otel.traces.sampler", "always_on");
    properties.putAll(more);
    var builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook();
    if (protocol.equals("http/json")) {
      String root = properties.get("otel.exporter.otlp.endpoint");
      builder.addSpanExporterCustomizer(
          (configured, config) -> {
            configured.shutdown();
            return new JsonSpans(
                json(ExporterType.OTLP_HTTP_JSON_SPAN_EXPORTER, root + "/v1/traces"));
          });
      builder.addLogRecordExporterCustomizer(
          (configured, config) -> {
            configured.shutdown();
            return new JsonLogs(json(ExporterType.OTLP_HTTP_JSON_LOG_EXPORTER, root + "/v1/logs"));
          });
    } else if (!protocol.equals("http/protobuf")) {
      throw new IllegalArgumentException(protocol);
    }
    this.sdk = builder.build().getOpenTelemetrySdk();
  }

  private static HttpExporter json(ExporterType type, String endpoint) {
    return new HttpExporterBuilder(type, endpoint).exportAsJson().build();
  }

  private record JsonSpans(HttpExporter exporter) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return exporter.export(TraceRequestMarshaler.create(spans), spans.size());
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }
  }

  private record JsonLogs(HttpExporter exporter) implements LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      return exporter.export(LogsRequestMarshaler.create(logs), logs.size());
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }
  }

  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  public void flushSpans() {
    sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS);
  }

  public void flushLogs() {
    sdk.getSdkLoggerProvider().forceFlush().join(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    sdk.shutdown().join(30, TimeUnit.SECONDS);
  }
}
