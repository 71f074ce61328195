package io.llmlog.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.ingest.BadRequestException;
import io.llmlog.server.ingest.Body;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void traces_otlpJsonWithHexIdsAndNumericEnums_decodesToTheSameIds() {
    String body =
        """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
          "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
            "parentSpanId":"eee19b7ec3c1b173","name":"chat","kind":3,"startTimeUnixNano":"1544712660000000000",
            "endTimeUnixNano":"1544712661000000000","status":{"code":2},"futureField":true,
            "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}}]}]}]}]}""";

    ExportTraceServiceRequest request =
        new OtlpBodies(JSON)
            .traces(Body.of(body.getBytes(StandardCharsets.UTF_8)), OtlpBodies.Format.JSON);

    var span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray()))
        .isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
  }

  @Test
  void traces_idThatIsNotHex_becomesEmptySoOnlyItsSpanIsRejected() {
    String body =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}";

    var span =
        new OtlpBodies(JSON)
            .traces(Body.of(body.getBytes(StandardCharsets.UTF_8)), OtlpBodies.Format.JSON)
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);

    assertThat(span.getTraceId().isEmpty()).isTrue();
  }

  @Test
  void traces_bodyThatIsNoExport_isABadRequestNamingTheEncoding() {
    assertThatThrownBy(
            () ->
                new OtlpBodies(JSON)
                    .traces(
                        Body.of("[1,2]".getBytes(StandardCharsets.UTF_8)), OtlpBodies.Format.JSON))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("OTLP/JSON trace export");
  }

  @Test
  void format_otherContentType_isUnsupportedNamingTheTwoThatAre() {
    assertThat(OtlpBodies.format("application/x-protobuf")).isEqualTo(OtlpBodies.Format.PROTOBUF);
    assertThat(OtlpBodies.format("application/json; charset=utf-8"))
        .isEqualTo(OtlpBodies.Format.JSON);
    assertThatThrownBy(() -> OtlpBodies.format("text/plain"))
        .isInstanceOf(UnsupportedMediaTypeException.class)
        .hasMessageContaining("application/x-protobuf or application/json");
  }

  @Test
  void list_flattenedIndexedAttributes_rebuildTheMessagesInOrder() {
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("10.role", "user");
    flat.put("2.role", "assistant");
    flat.put("2.tool_calls.0.name", "weather");
    flat.put("0.role", "system");

    List<Object> list = Indexed.list(flat);

    assertThat(list)
        .containsExactly(
            Map.of("role", "system"),
            Map.of("role", "assistant", "tool_calls", List.of(Map.of("name", "weather"))),
            Map.of("role", "user"));
  }

  @Test
  void modelOperation_eachEmittersMark_tellsACallFromAStep() {
    assertThat(SpanKinds.modelOperation(attributes(Map.of("gen_ai.operation.name", "chat")), "x"))
        .isEqualTo("chat");
    assertThat(SpanKinds.modelOperation(attributes(Map.of("llm.request.type", "completion")), "x"))
        .isEqualTo("text_completion");
    assertThat(
            SpanKinds.modelOperation(
                attributes(Map.of("openinference.span.kind", "EMBEDDING")), "x"))
        .isEqualTo("embeddings");
    assertThat(
            SpanKinds.modelOperation(
                attributes(Map.of("gen_ai.system", "openai", "gen_ai.request.model", "gpt-4")),
                "x"))
        .isEqualTo("chat");
    assertThat(SpanKinds.modelOperation(attributes(Map.of()), "gen_ai.client.operation"))
        .isEqualTo("chat");
    // Spring AI's ChatClient span says gen_ai.system=spring_ai and operation framework: a step, not
    // a second call.
    Attributes chatClient =
        attributes(
            Map.of(
                "gen_ai.operation.name",
                "framework",
                "gen_ai.system",
                "spring_ai",
                "spring.ai.kind",
                "chat_client"));
    assertThat(SpanKinds.modelOperation(chatClient, "spring_ai chat_client")).isNull();
    assertThat(SpanKinds.stepKind(chatClient)).isEqualTo("step");
    assertThat(SpanKinds.stepKind(attributes(Map.of("gen_ai.operation.name", "execute_tool"))))
        .isEqualTo("tool");
    assertThat(SpanKinds.stepKind(attributes(Map.of("openinference.span.kind", "RETRIEVER"))))
        .isEqualTo("retrieval");
    assertThat(SpanKinds.stepKind(attributes(Map.of("http.request.method", "GET")))).isNull();
  }

  @Test
  void metadata_moreAttributesThanTheLimit_keepsTheFirstAndCountsTheRest() {
    Map<String, Object> rest = new LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      rest.put("app.key" + i, i);
    }
    rest.put("app.list", List.of("a", "b"));
    Map<String, Object> record = new LinkedHashMap<>();

    new Mapping(JSON, 5).metadata(record, rest);

    assertThat(record.get("metadata"))
        .isEqualTo(
            Map.of(
                "app_key0",
                0,
                "app_key1",
                1,
                "app_key2",
                2,
                "app_key3",
                3,
                Mapping.DROPPED_ATTRIBUTES,
                4));
  }

  @Test
  void from_keepSettings_readAndUnknownRefusedByName() {
    assertThat(OtlpSettings.from(Settings.of(Map.of(), name -> null)).keep())
        .isEqualTo(OtlpSettings.Keep.GENAI);
    assertThat(
            OtlpSettings.from(Settings.of(Map.of("otlp", Map.of("keep", "all")), name -> null))
                .keep())
        .isEqualTo(OtlpSettings.Keep.ALL);
    assertThatThrownBy(
            () ->
                OtlpSettings.from(
                    Settings.of(Map.of("otlp", Map.of("keep", "some")), name -> null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otlp.keep");
    assertThatThrownBy(
            () ->
                OtlpSettings.from(Settings.of(Map.of("otlp", Map.of("kep", "all")), name -> null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otlp.kep");
  }

  private static Attributes attributes(Map<String, Object> values) {
    return new Attributes(new LinkedHashMap<>(values), JSON);
  }
}
