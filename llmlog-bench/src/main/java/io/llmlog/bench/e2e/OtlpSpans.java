package io.llmlog.bench.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.message.Messages;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's calls as an OpenTelemetry exporter sends them: one GenAI span per call in the
 * current conventions (operation, provider, model, parameters, usage, finish reason, time to first
 * chunk, the messages as {@code gen_ai.input.messages} / {@code gen_ai.output.messages} JSON
 * attributes, the failure as the span's status and {@code error.type}), grouped by service as
 * resources group them.
 */
final class OtlpSpans {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OtlpSpans() {}

  static byte[] export(List<Corpus.Doc> docs) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    for (Corpus.Doc doc : docs) {
      LlmLogEntry call = doc.call();
      byService
          .computeIfAbsent(
              call.service() + "\u0000" + call.environment(), key -> ScopeSpans.newBuilder())
          .addSpans(span(call));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byService.forEach(
        (key, scope) -> {
          String[] parts = key.split("\u0000");
          request.addResourceSpans(
              ResourceSpans.newBuilder()
                  .setResource(
                      Resource.newBuilder()
                          .addAttributes(attribute("service.name", parts[0]))
                          .addAttributes(attribute("deployment.environment.name", parts[1])))
                  .addScopeSpans(scope));
        });
    return request.build().toByteArray();
  }

  /** Null when no span was rejected, else the partial success message. */
  static String problem(byte[] body) {
    try {
      ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(body);
      return response.getPartialSuccess().getRejectedSpans() == 0
          ? null
          : response.getPartialSuccess().getErrorMessage();
    } catch (InvalidProtocolBufferException e) {
      return "not an OTLP answer: " + e.getMessage();
    }
  }

  private static Span span(LlmLogEntry call) {
    UUID id = UUID.fromString(call.requestId());
    long start = call.timestamp().getEpochSecond() * 1_000_000_000L + call.timestamp().getNano();
    long duration = (long) (call.performance().latencyMs() * 1_000_000);
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(
                ByteString.copyFrom(
                    ByteBuffer.allocate(16)
                        .putLong(id.getMostSignificantBits())
                        .putLong(id.getLeastSignificantBits())
                        .array()))
            .setSpanId(
                ByteString.copyFrom(
                    ByteBuffer.allocate(8)
                        .putLong(id.getLeastSignificantBits() ^ id.getMostSignificantBits() | 1)
                        .array()))
            .setName("chat " + call.model())
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + duration);
    span.addAttributes(attribute("gen_ai.operation.name", "chat"));
    span.addAttributes(attribute("gen_ai.provider.name", call.provider()));
    span.addAttributes(attribute("gen_ai.request.model", call.model()));
    span.addAttributes(attribute("gen_ai.conversation.id", call.sessionId()));
    span.addAttributes(attribute("user.id", call.userId()));
    if (call.parameters().temperature() != null) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey("gen_ai.request.temperature")
              .setValue(AnyValue.newBuilder().setDoubleValue(call.parameters().temperature())));
    }
    if (call.parameters().maxTokens() != null) {
      span.addAttributes(number("gen_ai.request.max_tokens", call.parameters().maxTokens()));
    }
    span.addAttributes(number("gen_ai.usage.input_tokens", call.usage().inputTokens()));
    span.addAttributes(number("gen_ai.usage.output_tokens", call.usage().outputTokens()));
    if (call.performance().ttftMs() != null) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey("gen_ai.response.time_to_first_chunk")
              .setValue(AnyValue.newBuilder().setDoubleValue(call.performance().ttftMs() / 1000)));
    }
    if (call.stopReason() != null) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey("gen_ai.response.finish_reasons")
              .setValue(
                  AnyValue.newBuilder()
                      .setArrayValue(
                          ArrayValue.newBuilder()
                              .addValues(
                                  AnyValue.newBuilder().setStringValue(call.stopReason())))));
    }
    if (!call.inputMessages().isEmpty()) {
      span.addAttributes(
          attribute("gen_ai.input.messages", json(Messages.toTree(call.inputMessages()))));
      if (!call.outputMessages().isEmpty()) {
        span.addAttributes(
            attribute("gen_ai.output.messages", json(Messages.toTree(call.outputMessages()))));
      }
    } else {
      span.addAttributes(
          attribute(
              "gen_ai.system_instructions",
              json(List.of(Map.of("type", "text", "content", call.systemPrompt())))));
      span.addAttributes(
          attribute(
              "gen_ai.input.messages",
              json(
                  List.of(
                      Map.of(
                          "role",
                          "user",
                          "parts",
                          List.of(Map.of("type", "text", "content", call.prompt())))))));
    }
    if (call.inputMessages().isEmpty() && call.response() != null) {
      span.addAttributes(
          attribute(
              "gen_ai.output.messages",
              json(
                  List.of(
                      Map.of(
                          "role",
                          "assistant",
                          "parts",
                          List.of(Map.of("type", "text", "content", call.response())),
                          "finish_reason",
                          String.valueOf(call.stopReason()))))));
    }
    call.metadata()
        .forEach((key, value) -> span.addAttributes(attribute(key, String.valueOf(value))));
    if (call.level() == LogLevel.ERROR && call.error() != null) {
      span.addAttributes(attribute("error.type", call.error().type()));
      span.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage(call.error().message()));
    }
    return span.build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value == null ? "" : value))
        .build();
  }

  private static KeyValue number(String key, Integer value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value == null ? 0 : value))
        .build();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
