package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.LogField;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's reader ({@code LlmLogJson.read}) and the server's pipeline ({@code flatten} and {@code
 * derive}, then the schema check before storing) read every accepted shape into the same document:
 * both use llmlog-core's one alias table, {@code RecordShapes}.
 */
class RecordShapesAgreementTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  record Shape(String name, String json) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Shape> shapes() {
    return List.of(
        new Shape(
            "the brief's logger line", LlmLogJson.briefLine(BriefExample.entry(), "llm-inference")),
        new Shape(
            "the brief's nesting with its aliases",
            """
            {"timestamp": "2026-11-28T08:30:15.123456", "service": "llm-inference", "level": "INFO", "request_id": "r-1",
             "model_name": "gpt-4", "metrics": {"input_tokens": "15", "output_tokens": 256, "latency_ms": 2340.5,
             "first_token_latency_ms": 180.2}, "config": {"temperature": 0.7, "max_tokens": 2048},
             "prompt": "解释机器学习的基本概念", "stop_reason": "stop", "error": "boom"}"""),
        new Shape(
            "OpenAI usage",
            """
            {"timestamp": "2026-11-28T08:00:00Z", "request_id": "r-2", "level": "info", "model": "gpt-4o", "provider": "openai",
             "latency_ms": 900, "usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42,
             "prompt_tokens_details": {"cached_tokens": 4}, "completion_tokens_details": {"reasoning_tokens": 7}}}"""),
        new Shape(
            "Anthropic usage and a performance breakdown",
            """
            {"timestamp": 1795854600, "request_id": "r-3", "level": "warn", "model": "claude-3-5-sonnet",
             "usage": {"input_tokens": 100, "output_tokens": 50, "cache_read_input_tokens": 80},
             "performance": {"latency_ms": 1500, "ttft_ms": 300, "queue_wait_ms": 25, "generation_ms": 1200}}"""),
        new Shape(
            "OpenTelemetry GenAI attributes (dotted keys) and ECS service",
            """
            {"timestamp": "2026-11-28T08:00:00.5Z", "request_id": "r-4", "level": "info", "service": {"name": "chat-api"},
             "gen_ai.request.model": "gpt-4o-mini", "gen_ai.response.model": "gpt-4o-mini-2024-07-18", "gen_ai.system": "openai",
             "gen_ai.usage.input_tokens": 5, "gen_ai.usage.output_tokens": 9, "gen_ai.request.temperature": 0.2,
             "gen_ai.request.top_p": 0.9, "gen_ai.request.max_tokens": 64, "gen_ai.conversation.id": "s-9",
             "gen_ai.response.finish_reasons": ["length", "stop"], "latency_ms": 410.5}"""),
        new Shape(
            "the llm wrapper of the brief's Logstash json filter",
            """
            {"llm": {"timestamp": "2026-11-28T08:30:15Z", "request_id": "r-5", "level": "error", "model": "gpt-4",
             "metrics": {"input_tokens": 1, "output_tokens": 0, "latency_ms": 30000}, "error": {"type": "timeout", "message": "upstream"}},
             "tags": ["brief", "logstash"], "metadata": {"team": "search"}}"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void read_acceptedShape_sdkReaderAndPipelineStoreTheSameDocument(Shape shape) throws Exception {
    String sdkDocument = LlmLogJson.document(LlmLogJson.read(shape.json()));

    // The SDK's document and the raw record both go through what the server does after reading
    // (derived fields, the schema check); only how the shape was read differs.
    assertThat(stored(sdkDocument, false)).isEqualTo(stored(shape.json(), true));
  }

  /**
   * The llmlog fields of the document the server stores for a record, read by flatten or taken as
   * the SDK wrote it.
   */
  private static JsonNode stored(String json, boolean flatten) throws Exception {
    List<Map<String, Object>> steps = new ArrayList<>();
    if (flatten) {
      steps.add(Map.of("flatten", Map.of()));
    }
    steps.add(Map.of("derive", Map.of()));
    Pipeline pipeline =
        Pipelines.build(
                Settings.of(Map.of("pipeline", steps), name -> null), JSON, CLOCK, id -> false)
            .calls();
    @SuppressWarnings("unchecked")
    Event event = new Event(JSON.readValue(json, Map.class), 1);
    assertThat(pipeline.process(event).kind()).isEqualTo(Pipeline.Kind.KEPT);
    new DocumentSchema(LlmlogConfig.from(Settings.empty(name -> null)).limits(), CLOCK)
        .checkCall(event);
    // What the SDK's reader does not know (gen_ai.response.model beside gen_ai.request.model) stays
    // in
    // the stored source unindexed; the comparison is over llmlog's fields.
    Map<String, Object> fields = new TreeMap<>();
    event
        .fields()
        .forEach(
            (name, value) -> {
              if (FIELDS.contains(name)) {
                fields.put(name, value);
              }
            });
    return JSON.readTree(JSON.writeValueAsString(fields));
  }

  private static final Set<String> FIELDS = fields();

  private static Set<String> fields() {
    Set<String> names = new HashSet<>();
    for (LogField field : LogField.values()) {
      names.add(field.jsonName().split("\\.")[0]);
    }
    return names;
  }
}
