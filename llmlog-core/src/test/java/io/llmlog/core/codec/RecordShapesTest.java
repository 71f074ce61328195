package io.llmlog.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordShapesTest {
  @Test
  void normalise_flatFieldAlreadySet_winsOverEveryAlias() {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("model", "direct");
    record.put("model_name", "alias");
    record.put("metrics", new LinkedHashMap<>(Map.of("model", "nested")));

    RecordShapes.normalise(record);

    assertThat(record.get("model")).isEqualTo("direct");
  }

  @Test
  void normalise_severalAliasesOfOneField_theFirstInTheTableWins() {
    Map<String, Object> record =
        MapPaths.expandDottedKeys(
            new LinkedHashMap<>(
                Map.of(
                    "gen_ai.request.model",
                    "requested",
                    "gen_ai.response.model",
                    "answered-2024-07-18")));

    RecordShapes.normalise(record);

    assertThat(record.get("model")).isEqualTo("requested");
  }

  @Test
  void normalise_performanceObject_isLiftedLikeTheBriefsMetrics() {
    Map<String, Object> record =
        new LinkedHashMap<>(
            Map.of(
                "performance", new LinkedHashMap<>(Map.of("queue_wait_ms", 25, "ttft_ms", 300))));

    RecordShapes.normalise(record);

    assertThat(record)
        .containsEntry("queue_wait_ms", 25)
        .containsEntry("ttft_ms", 300)
        .doesNotContainKey("performance");
  }

  @Test
  void renderMessages_openAiChatMessages_storedShapeAndTheirTextsUnlessSent() {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("response", "sent by the application");
    record.put(
        "input_messages",
        List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi")));
    record.put("output_messages", List.of(Map.of("role", "assistant", "content", "Hello")));

    RecordShapes.renderMessages(record);

    assertThat(record)
        .containsEntry("system_prompt", "Be brief.")
        .containsEntry("prompt", "Hi")
        .containsEntry("response", "sent by the application");
    assertThat(record.get("input_messages"))
        .isEqualTo(
            List.of(
                Map.of(
                    "role",
                    "system",
                    "parts",
                    List.of(Map.of("type", "text", "content", "Be brief."))),
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "Hi")))));
  }

  @Test
  void renderMessages_messageWithoutRole_leftAsSentForTheSchemaCheck() {
    List<Map<String, Object>> given = List.of(Map.of("content", "no role"));
    Map<String, Object> record = new LinkedHashMap<>(Map.of("input_messages", given));

    RecordShapes.renderMessages(record);

    assertThat(record).containsOnlyKeys("input_messages").containsEntry("input_messages", given);
  }

  @Test
  void aliasTable_everyAlias_isDocumentedForUsers() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "pipeline.md"));
    String table =
        docs.substring(docs.indexOf("## Accepted record shapes"), docs.indexOf("## Sampling"));

    for (RecordShapes.Alias alias : RecordShapes.ALIASES) {
      assertThat(table)
          .as(alias.toString())
          .contains("`" + alias.from() + "`")
          .contains("`" + alias.to() + "`");
    }
    for (String object :
        List.of(RecordShapes.WRAPPER + ".*", "metrics.*", "config.*", "performance.*")) {
      assertThat(table).contains("`" + object + "`");
    }
    assertThat(RecordShapes.FLATTENED).containsExactly("metrics", "config", "performance");
  }
}
