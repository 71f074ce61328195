package io.llmlog.server.otlp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a model call's record, in llmlog's flat fields, from a span or from the log records that
 * carry its content. The request id is {@code <trace_id>-<span_id>}: a re-sent export never
 * duplicates, and the span and its log records, in any order, merge into one document.
 */
final class CallMapper {
  /** Span events that mark the first chunk of a streamed answer, by emitter. */
  private static final List<String> FIRST_CHUNK_EVENTS =
      List.of(
          "gen_ai.content.completion.chunk",
          "llm.content.completion.chunk",
          "First Token Stream Event");

  private final Mapping mapping;
  private final ContentMapper content;
  private final com.fasterxml.jackson.databind.ObjectMapper json;

  CallMapper(
      Mapping mapping, ContentMapper content, com.fasterxml.jackson.databind.ObjectMapper json) {
    this.mapping = mapping;
    this.content = content;
    this.json = json;
  }

  /** The whole call a span describes; {@code failed} tells whether it failed. */
  Map<String, Object> span(OtlpSpan span, String operation) {
    Attributes attributes = span.attributes();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("timestamp", Mapping.time(span.startNanos()));
    record.put("request_id", span.id());
    mapping.context(
        record, span.origin(), span.traceId(), span.spanId(), span.parentId(), attributes);
    record.put("operation", operation);
    attributes.took("gen_ai.operation.name");
    attributes.took("llm.request.type");
    attributes.took("openinference.span.kind");
    model(record, attributes);
    record.put("latency_ms", Math.max(0, span.durationMs()));
    Double firstChunk = attributes.number("gen_ai.response.time_to_first_chunk");
    if (firstChunk != null) {
      record.put("ttft_ms", firstChunk * 1000);
    } else {
      for (OtlpSpan.Event event : span.events()) {
        if (FIRST_CHUNK_EVENTS.contains(event.name()) && event.timeNanos() >= span.startNanos()) {
          record.put("ttft_ms", (event.timeNanos() - span.startNanos()) / 1e6);
          break;
        }
      }
    }
    mapping.error(record, span);
    ContentMapper.Content messages = content.fromAttributes(attributes);
    content.addEvents(messages, span.events());
    messages(record, messages, attributes);
    mapping.metadata(record, attributes.rest());
    return record;
  }

  /**
   * The part of a call that log records carry apart from its span: the messages, and when a {@code
   * gen_ai.client.inference.operation.details} record is among them, its model, usage and
   * parameters. Never a level or an error: those are the span's to say.
   */
  Map<String, Object> logPart(
      String traceId, String spanId, OtlpSpan.Origin origin, List<OtlpSpan.Event> records) {
    Map<String, Object> record = new LinkedHashMap<>();
    long first = Long.MAX_VALUE;
    Map<String, Object> details = new LinkedHashMap<>();
    for (OtlpSpan.Event event : records) {
      first = Math.min(first, event.timeNanos());
      if (event.name().equals(ContentMapper.DETAILS_EVENT)) {
        details.putAll(event.attributes());
      }
    }
    Attributes attributes = new Attributes(details, json);
    record.put("timestamp", Mapping.time(first));
    record.put("request_id", traceId + "-" + spanId);
    mapping.context(record, origin, traceId, spanId, null, attributes);
    if (attributes.get("gen_ai.operation.name") instanceof String operation) {
      record.put("operation", operation);
    }
    model(record, attributes);
    ContentMapper.Content messages = ContentMapper.Content.empty();
    content.addEvents(messages, records);
    messages(record, messages, attributes);
    return record;
  }

  /**
   * Model, provider, parameters, usage and stop reason, by the current, the older and the emitters'
   * own names.
   */
  private void model(Map<String, Object> record, Attributes a) {
    Mapping.putIfPresent(
        record,
        "model",
        a.string("gen_ai.response.model", "gen_ai.request.model", "llm.model_name"));
    Mapping.putIfPresent(
        record,
        "provider",
        a.string("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"));
    Mapping.putIfPresent(record, "temperature", a.number("gen_ai.request.temperature"));
    Mapping.putIfPresent(record, "top_p", a.number("gen_ai.request.top_p"));
    Mapping.putIfPresent(record, "max_tokens", a.whole("gen_ai.request.max_tokens"));
    if (a.get("llm.invocation_parameters") instanceof String parameters
        && parameters.startsWith("{")) {
      // OpenInference writes the request's parameters as one JSON object.
      if (Attributes.parse(parameters, json) instanceof Map<?, ?> map) {
        a.took("llm.invocation_parameters");
        putIfAbsent(record, "temperature", map.get("temperature"));
        putIfAbsent(record, "top_p", map.get("top_p"));
        putIfAbsent(
            record,
            "max_tokens",
            map.get("max_tokens") != null
                ? map.get("max_tokens")
                : map.get("max_completion_tokens"));
      }
    }
    Mapping.putIfPresent(
        record,
        "input_tokens",
        a.whole(
            "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"));
    Mapping.putIfPresent(
        record,
        "output_tokens",
        a.whole(
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.completion_tokens",
            "llm.token_count.completion"));
    Mapping.putIfPresent(
        record,
        "total_tokens",
        a.whole("gen_ai.usage.total_tokens", "llm.usage.total_tokens", "llm.token_count.total"));
    Mapping.putIfPresent(
        record,
        "cached_input_tokens",
        a.whole(
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_read_input_tokens",
            "llm.token_count.prompt_details.cache_read"));
    Mapping.putIfPresent(
        record,
        "cache_creation_input_tokens",
        a.whole(
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.cache_creation_input_tokens",
            "llm.token_count.prompt_details.cache_write"));
    Mapping.putIfPresent(
        record,
        "reasoning_tokens",
        a.whole(
            "gen_ai.usage.reasoning.output_tokens",
            "gen_ai.usage.reasoning_tokens",
            "llm.token_count.completion_details.reasoning"));
    Mapping.putIfPresent(
        record,
        "stop_reason",
        a.string(
            "gen_ai.response.finish_reasons",
            "gen_ai.response.finish_reason",
            "gen_ai.response.stop_reason",
            "llm.finish_reason"));
  }

  private static void putIfAbsent(Map<String, Object> record, String key, Object value) {
    if (value instanceof Number && !record.containsKey(key)) {
      record.put(key, value);
    }
  }

  /**
   * The messages, or else OpenInference's generic input and output values as the texts; the stop
   * reason from the output.
   */
  private static void messages(
      Map<String, Object> record, ContentMapper.Content messages, Attributes attributes) {
    if (!messages.input().isEmpty()) {
      record.put("input_messages", messages.input());
    } else if (attributes.get("input.value") instanceof String input) {
      attributes.took("input.value");
      attributes.took("input.mime_type");
      record.put("prompt", input);
    }
    if (!messages.output().isEmpty()) {
      record.put("output_messages", messages.output());
      if (!record.containsKey("stop_reason")
          && messages.output().get(0) instanceof Map<?, ?> first
          && first.get("finish_reason") != null) {
        record.put("stop_reason", String.valueOf(first.get("finish_reason")));
      }
    } else if (attributes.get("output.value") instanceof String output) {
      attributes.took("output.value");
      attributes.took("output.mime_type");
      record.put("response", output);
    }
  }
}
