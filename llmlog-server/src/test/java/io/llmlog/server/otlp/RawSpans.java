package io.llmlog.server.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * OTLP spans built with the published protobuf classes, for what the OpenTelemetry SDK would never
 * send (a malformed span) and for other emitters' attribute names (OpenLLMetry, OpenInference).
 */
final class RawSpans {
  private final Random random;

  RawSpans(long seed) {
    this.random = new Random(seed);
  }

  String traceId() {
    return hex(16);
  }

  String spanId() {
    return hex(8);
  }

  private String hex(int bytes) {
    byte[] id = new byte[bytes];
    random.nextBytes(id);
    id[0] |= 1;
    return HexFormat.of().formatHex(id);
  }

  static Span.Builder span(
      String traceId,
      String spanId,
      String name,
      long startNanos,
      long durationNanos,
      Map<String, Object> attributes) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(startNanos)
            .setEndTimeUnixNano(startNanos + durationNanos);
    attributes.forEach((key, value) -> span.addAttributes(attribute(key, value)));
    return span;
  }

  static KeyValue attribute(String key, Object value) {
    return KeyValue.newBuilder().setKey(key).setValue(value(value)).build();
  }

  static AnyValue value(Object value) {
    AnyValue.Builder any = AnyValue.newBuilder();
    if (value instanceof String text) {
      any.setStringValue(text);
    } else if (value instanceof Integer || value instanceof Long) {
      any.setIntValue(((Number) value).longValue());
    } else if (value instanceof Number number) {
      any.setDoubleValue(number.doubleValue());
    } else if (value instanceof Boolean bool) {
      any.setBoolValue(bool);
    } else if (value instanceof List<?> list) {
      var array = io.opentelemetry.proto.common.v1.ArrayValue.newBuilder();
      list.forEach(item -> array.addValues(value(item)));
      any.setArrayValue(array);
    } else if (value instanceof Map<?, ?> map) {
      var kv = io.opentelemetry.proto.common.v1.KeyValueList.newBuilder();
      map.forEach((key, item) -> kv.addValues(attribute(String.valueOf(key), item)));
      any.setKvlistValue(kv);
    }
    return any.build();
  }

  static ExportTraceServiceRequest export(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
        .build();
  }
}
