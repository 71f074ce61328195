package io.llmlog.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.redact.PiiRedactor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void normalize_conventionsShape_isKeptAsItIs() {
    List<Map<String, Object>> given =
        List.of(
            Map.of(
                "role",
                "user",
                "parts",
                List.of(Map.of("type", "text", "content", "What is the weather in Paris?"))),
            Map.of(
                "role",
                "assistant",
                "parts",
                List.of(
                    Map.of(
                        "type",
                        "tool_call",
                        "id",
                        "call_1",
                        "name",
                        "weather",
                        "arguments",
                        Map.of("city", "Paris")))),
            Map.of(
                "role",
                "tool",
                "parts",
                List.of(
                    Map.of("type", "tool_call_response", "id", "call_1", "response", "rainy"))));
    assertThat(Messages.normalize(given, "input_messages")).isEqualTo(given);
  }

  @Test
  void normalize_toolAnswerWrittenAsResult_becomesResponse() {
    List<Object> given =
        List.of(
            Map.of(
                "role",
                "tool",
                "parts",
                List.of(Map.of("type", "tool_call_response", "id", "call_1", "result", "rainy"))));
    assertThat(Messages.normalize(given, "input_messages").get(0).get("parts"))
        .isEqualTo(
            List.of(Map.of("type", "tool_call_response", "id", "call_1", "response", "rainy")));
  }

  @Test
  void normalize_openAiChatShape_becomesParts() {
    List<Object> openAi =
        List.of(
            Map.of("role", "system", "content", "你是一个AI助手"),
            Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "天气如何?"))),
            Map.of(
                "role",
                "assistant",
                "content",
                "",
                "tool_calls",
                List.of(
                    Map.of(
                        "id",
                        "call_9",
                        "type",
                        "function",
                        "function",
                        Map.of("name", "weather", "arguments", "{\"city\":\"北京\"}")))),
            Map.of("role", "tool", "tool_call_id", "call_9", "content", "晴"));
    List<Map<String, Object>> messages = Messages.normalize(openAi, "input_messages");
    assertThat(messages.get(0))
        .isEqualTo(
            Map.of(
                "role", "system", "parts", List.of(Map.of("type", "text", "content", "你是一个AI助手"))));
    assertThat(messages.get(1).get("parts"))
        .isEqualTo(List.of(Map.of("type", "text", "content", "天气如何?")));
    assertThat(messages.get(2).get("parts"))
        .isEqualTo(
            List.of(
                Map.of("type", "text", "content", ""),
                Map.of(
                    "type",
                    "tool_call",
                    "id",
                    "call_9",
                    "name",
                    "weather",
                    "arguments",
                    "{\"city\":\"北京\"}")));
    assertThat(messages.get(3).get("parts"))
        .isEqualTo(List.of(Map.of("type", "tool_call_response", "id", "call_9", "response", "晴")));
  }

  @Test
  void normalize_anthropicBlocks_becomeParts() {
    List<Object> anthropic =
        List.of(
            Map.of(
                "role",
                "assistant",
                "content",
                List.of(
                    Map.of("type", "thinking", "thinking", "The user wants weather."),
                    Map.of(
                        "type",
                        "tool_use",
                        "id",
                        "toolu_1",
                        "name",
                        "weather",
                        "input",
                        Map.of("city", "Paris")))),
            Map.of(
                "role",
                "user",
                "content",
                List.of(
                    Map.of("type", "tool_result", "tool_use_id", "toolu_1", "content", "rainy"))));
    List<Map<String, Object>> messages = Messages.normalize(anthropic, "input_messages");
    assertThat(messages.get(0).get("parts"))
        .isEqualTo(
            List.of(
                Map.of("type", "reasoning", "content", "The user wants weather."),
                Map.of(
                    "type",
                    "tool_call",
                    "id",
                    "toolu_1",
                    "name",
                    "weather",
                    "arguments",
                    Map.of("city", "Paris"))));
    assertThat(messages.get(1).get("parts"))
        .isEqualTo(
            List.of(Map.of("type", "tool_call_response", "id", "toolu_1", "response", "rainy")));
  }

  @Test
  void normalize_badShapes_nameTheMessageAndPart() {
    assertThatThrownBy(() -> Messages.normalize("hello", "input_messages"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("input_messages");
    assertThatThrownBy(() -> Messages.normalize(List.of(Map.of("content", "hi")), "input_messages"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("input_messages[0].role");
    assertThatThrownBy(
            () ->
                Messages.normalize(
                    List.of(Map.of("role", "user", "parts", List.of(Map.of("content", "x")))),
                    "output_messages"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("output_messages[0].parts[0].type");
  }

  @Test
  void render_loneUserMessage_isItsText() {
    List<Map<String, Object>> messages =
        Messages.normalize(
            List.of(
                Map.of("role", "system", "content", "你是一个AI助手"),
                Map.of("role", "user", "content", "解释机器学习的基本概念")),
            "input_messages");
    assertThat(Messages.prompt(messages)).isEqualTo("解释机器学习的基本概念");
    assertThat(Messages.systemPrompt(messages)).isEqualTo("你是一个AI助手");
  }

  @Test
  void render_conversation_labelsEveryTurnAndToolCall() {
    List<Map<String, Object>> messages =
        Messages.normalize(
            List.of(
                Map.of("role", "user", "content", "Weather in Paris?"),
                Map.of(
                    "role",
                    "assistant",
                    "tool_calls",
                    List.of(
                        Map.of(
                            "id",
                            "c1",
                            "function",
                            Map.of("name", "weather", "arguments", Map.of("city", "Paris"))))),
                Map.of("role", "tool", "tool_call_id", "c1", "content", "rainy")),
            "input_messages");
    assertThat(Messages.prompt(messages))
        .isEqualTo(
            "user: Weather in Paris?\n\nassistant: [tool_call weather {\"city\":\"Paris\"}]\n\ntool: [tool_result c1] rainy");
    assertThat(Messages.systemPrompt(messages)).isNull();
  }

  @Test
  void entry_withMessagesOnly_rendersTheTextsAndKeepsThem() {
    LlmLogEntry entry =
        LlmLogEntry.builder()
            .timestamp(Instant.parse("2026-12-01T00:00:00Z"))
            .requestId("r1")
            .model("gpt-4o")
            .inputMessages(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")))
            .outputMessages(List.of(ChatMessage.assistant("Hello!").withFinishReason("stop")))
            .build();
    assertThat(entry.prompt()).isEqualTo("Hi");
    assertThat(entry.systemPrompt()).isEqualTo("Be brief.");
    assertThat(entry.response()).isEqualTo("Hello!");
    LlmLogEntry back = LlmLogJson.read(LlmLogJson.document(entry));
    assertThat(back).isEqualTo(entry);
    assertThat(LlmLogJson.document(entry))
        .contains(
            "\"input_messages\":[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]}");
  }

  @Test
  void redact_entryMessages_redactsTextsInsidePartsButNotTheirStructure() {
    LlmLogEntry entry =
        LlmLogEntry.builder()
            .timestamp(Instant.parse("2026-12-01T00:00:00Z"))
            .requestId("r1")
            .model("gpt-4o")
            .inputMessages(
                List.of(
                    new ChatMessage(
                        "assistant",
                        List.of(
                            new MessagePart.ToolCall(
                                "call_1", "send_mail", Map.of("to", "li.wei@example.com"))),
                        null)))
            .build();
    LlmLogEntry redacted = PiiRedactor.defaults().redact(entry);
    MessagePart.ToolCall call =
        (MessagePart.ToolCall) redacted.inputMessages().get(0).parts().get(0);
    assertThat(call.name()).isEqualTo("send_mail");
    assertThat(call.id()).isEqualTo("call_1");
    assertThat(call.arguments().toString()).doesNotContain("li.wei@example.com");
    assertThat(redacted.prompt()).doesNotContain("li.wei@example.com");
  }
}
