package io.llmlog.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.cost.PriceTable;
import io.llmlog.core.redact.PiiRedactor;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Event event(String json) throws Exception {
    return new Event(Event.cast(JSON.readValue(json, Map.class)), 1);
  }

  @Test
  void flatten_briefNestedRecord_liftsMetricsAndConfig() throws Exception {
    Event event =
        event(
            "{\"request_id\":\"r\",\"model_name\":\"gpt-4\",\"metrics\":{\"input_tokens\":15,\"latency_ms\":2340.5,\"ttft_ms\":180.2},"
                + "\"config\":{\"temperature\":0.7,\"max_tokens\":2048}}");

    new FlattenFilter().apply(event);

    assertThat(event.fields())
        .containsEntry("model", "gpt-4")
        .containsEntry("input_tokens", 15)
        .containsEntry("latency_ms", 2340.5)
        .containsEntry("temperature", 0.7)
        .containsEntry("max_tokens", 2048)
        .doesNotContainKeys("metrics", "config", "model_name");
  }

  @Test
  void flatten_openAiUsageAndGenAiAttributes_mapOntoFlatFields() throws Exception {
    Event openAi =
        event(
            "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":4},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":6}}}");
    Event genAi =
        event(
            "{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.system\":\"openai\",\"gen_ai.usage.input_tokens\":3,"
                + "\"gen_ai.response.finish_reasons\":[\"length\"],\"service\":{\"name\":\"chat-api\"}}");

    new FlattenFilter().apply(openAi);
    new FlattenFilter().apply(genAi);

    assertThat(openAi.fields())
        .containsEntry("input_tokens", 10)
        .containsEntry("output_tokens", 20)
        .containsEntry("cached_input_tokens", 4)
        .containsEntry("reasoning_tokens", 6)
        .doesNotContainKey("usage");
    assertThat(genAi.fields())
        .containsEntry("model", "gpt-4o")
        .containsEntry("provider", "openai")
        .containsEntry("input_tokens", 3)
        .containsEntry("stop_reason", "length")
        .containsEntry("service", "chat-api");
  }

  @Test
  void flatten_flatFieldAlreadySet_isNotOverwritten() throws Exception {
    Event event = event("{\"latency_ms\":5,\"metrics\":{\"latency_ms\":9}}");

    new FlattenFilter().apply(event);

    assertThat(event.get("latency_ms")).isEqualTo(5);
  }

  @Test
  void json_shippedLine_isParsedIntoTheEventOrItsTarget() throws Exception {
    Event root = event("{\"message\":\"{\\\"request_id\\\":\\\"r\\\",\\\"model\\\":\\\"m\\\"}\"}");
    Event targeted = event("{\"message\":\"{\\\"request_id\\\":\\\"r\\\"}\"}");

    new JsonFilter(JSON, "message", null).apply(root);
    new JsonFilter(JSON, "message", "llm").apply(targeted);

    assertThat(root.fields())
        .containsEntry("request_id", "r")
        .containsEntry("model", "m")
        .doesNotContainKey("message");
    assertThat(targeted.get("llm.request_id")).isEqualTo("r");
  }

  @Test
  void json_invalidJsonInMessage_throwsSoTheRecordGoesToDeadLetters() throws Exception {
    Event event = event("{\"message\":\"{ broken\"}");

    assertThatThrownBy(() -> new JsonFilter(JSON, "message", null).apply(event))
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void json_plainTextMessage_isLeftAlone() throws Exception {
    Event event = event("{\"message\":\"GET /health 200\"}");

    new JsonFilter(JSON, "message", null).apply(event);

    assertThat(event.get("message")).isEqualTo("GET /health 200");
  }

  @Test
  void date_formats_readLogstashStyles() throws Exception {
    DateFilter apache =
        new DateFilter(
            List.of("time"),
            List.of("dd/MMM/yyyy:HH:mm:ss Z"),
            ZoneOffset.UTC,
            PipelinesTest.CLOCK);
    DateFilter unixMs =
        new DateFilter(List.of("time"), List.of("UNIX_MS"), ZoneOffset.UTC, PipelinesTest.CLOCK);
    DateFilter naive =
        new DateFilter(List.of("time"), ZoneId.of("Asia/Shanghai"), PipelinesTest.CLOCK);
    Event a = event("{\"time\":\"28/Nov/2026:16:30:15 +0800\"}");
    Event b = event("{\"time\":1795854615123}");
    Event c = event("{\"time\":\"2026-11-28T16:30:15\"}");

    apache.apply(a);
    unixMs.apply(b);
    naive.apply(c);

    assertThat(a.get("timestamp")).isEqualTo("2026-11-28T08:30:15Z");
    assertThat(b.get("timestamp")).isEqualTo("2026-11-28T08:30:15.123Z");
    assertThat(c.get("timestamp")).isEqualTo("2026-11-28T08:30:15Z");
    assertThat(a.has("time")).isFalse();
  }

  @Test
  void date_noTime_getsTheArrivalTime() throws Exception {
    Event event = event("{\"request_id\":\"r\"}");

    new DateFilter(List.of("timestamp", "@timestamp"), ZoneOffset.UTC, PipelinesTest.CLOCK)
        .apply(event);

    assertThat(event.get("timestamp")).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void mutate_addRenameConvertRemove_inLogstashOrder() throws Exception {
    Event event =
        event(
            "{\"llm\":{\"service\":\"chat\",\"prompt\":\"secret\",\"metrics\":{\"latency_ms\":\"12.5\"}},\"Model\":\"GPT-4\",\"service\":null}");
    MutateFilter mutate =
        new MutateFilter(
            Map.of("Model", "model"),
            Map.of("service", "%{[llm][service]}", "env", "%{missing}", "tier", "t-%{llm.service}"),
            Map.of(),
            Map.of("llm.metrics.latency_ms", MutateFilter.Conversion.FLOAT),
            List.of("model"),
            List.of(),
            List.of("llm.prompt"));

    mutate.apply(event);

    assertThat(event.get("service")).isEqualTo("chat");
    assertThat(event.get("tier")).isEqualTo("t-chat");
    assertThat(event.has("env")).isFalse();
    assertThat(event.get("model")).isEqualTo("gpt-4");
    assertThat(event.get("llm.metrics.latency_ms")).isEqualTo(12.5);
    assertThat(event.has("llm.prompt")).isFalse();
  }

  @Test
  void mutate_unconvertibleValue_throws() throws Exception {
    Event event = event("{\"latency_ms\":\"slow\"}");
    MutateFilter mutate =
        new MutateFilter(
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of("latency_ms", MutateFilter.Conversion.INTEGER),
            List.of(),
            List.of(),
            List.of());

    assertThatThrownBy(() -> mutate.apply(event))
        .hasMessage("cannot convert latency_ms='slow' to integer");
  }

  @Test
  void truncate_longPrompt_isCutAndMarked() throws Exception {
    Event event = event("{\"prompt\":\"" + "😀".repeat(30) + "\",\"response\":\"short\"}");

    new TruncateFilter(new LinkedHashMap<>(Map.of("prompt", 10, "response", 10))).apply(event);

    assertThat(event.get("prompt")).isEqualTo("😀".repeat(10));
    assertThat(event.get("response")).isEqualTo("short");
    assertThat(event.get("truncated")).isEqualTo(List.of("prompt"));
    assertThat(event.get("truncated_lengths.prompt")).isEqualTo(30);
  }

  @Test
  void redact_piiInTexts_isReplacedAndMarked() throws Exception {
    Event event =
        event(
            "{\"prompt\":\"请联系 13812345678 或 li.lei@example.com\",\"response\":\"好的\",\"user_id\":\"u@x.com\"}");

    new RedactFilter(PiiRedactor.defaults(), Pipelines.TEXT_FIELDS).apply(event);

    assertThat(event.getString("prompt"))
        .doesNotContain("13812345678")
        .doesNotContain("li.lei@example.com");
    assertThat(event.get("response")).isEqualTo("好的");
    assertThat(event.get("user_id")).isEqualTo("u@x.com");
    assertThat((List<?>) event.get("redacted")).hasSize(2);
  }

  @Test
  void cost_knownAndUnknownModels_pricedOrCounted() throws Exception {
    CostFilter cost = new CostFilter(PriceTable.defaults());
    Event known =
        event("{\"model\":\"gpt-4o-2024-08-06\",\"input_tokens\":1000000,\"output_tokens\":0}");
    Event unknown = event("{\"model\":\"my-own-model\",\"input_tokens\":10,\"output_tokens\":10}");
    Event sent = event("{\"model\":\"gpt-4o\",\"input_tokens\":10,\"cost_usd\":0.5}");

    cost.apply(known);
    cost.apply(unknown);
    cost.apply(sent);

    assertThat((Double) known.get("cost_usd"))
        .isEqualTo(PriceTable.defaults().find("gpt-4o").orElseThrow().input());
    assertThat(unknown.has("cost_usd")).isFalse();
    assertThat(sent.get("cost_usd")).isEqualTo(0.5);
    assertThat(cost.details()).containsEntry("priced", 1L).containsEntry("unknown_model", 1L);
  }

  @Test
  void drop_matchingModel_isDroppedAndCounted() throws Exception {
    Pipeline pipeline =
        new Pipeline(List.of(new DropFilter(DropFilter.fieldIn("model", List.of("healthcheck")))));

    assertThat(pipeline.process(event("{\"model\":\"healthcheck\"}")).kind())
        .isEqualTo(Pipeline.Kind.DROPPED);
    assertThat(pipeline.process(event("{\"model\":\"gpt-4\"}")).kind())
        .isEqualTo(Pipeline.Kind.KEPT);
    assertThat(pipeline.stats().get(0).dropped()).isEqualTo(1);
    assertThat(pipeline.stats().get(0).in()).isEqualTo(2);
  }

  @Test
  void pipeline_throwingFilter_failsTheEventWithTheFilterAndReason() throws Exception {
    Pipeline pipeline =
        new Pipeline(List.of(new JsonFilter(JSON, "message", null), new FlattenFilter()));

    Pipeline.Outcome outcome = pipeline.process(event("{\"message\":\"{ not json\"}"));

    assertThat(outcome.kind()).isEqualTo(Pipeline.Kind.FAILED);
    assertThat(outcome.filter()).isEqualTo("json");
    assertThat(outcome.reason()).contains("invalid JSON");
    assertThat(pipeline.stats().get(0).failed()).isEqualTo(1);
    assertThat(pipeline.stats().get(1).in()).isZero();
  }
}
