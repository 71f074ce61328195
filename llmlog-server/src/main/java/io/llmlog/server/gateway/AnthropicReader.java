package io.llmlog.server.gateway;

import static io.llmlog.server.gateway.Reading.integer;
import static io.llmlog.server.gateway.Reading.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.MessagePart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads calls to Anthropic's Messages API, whole or streamed, into a {@link Reading}. The top-level
 * {@code system} becomes a leading system message. Anthropic counts cached and cache-written input
 * apart from {@code input_tokens}; llmlog's {@code input_tokens} is all of the input, cached tokens
 * included, as OpenAI counts it, so that prices and totals mean the same for every provider.
 */
final class AnthropicReader {
  private final ObjectMapper json;

  AnthropicReader(ObjectMapper json) {
    this.json = json;
  }

  @SuppressWarnings("unchecked")
  void request(JsonNode request, Reading reading) {
    reading.model = text(request.get("model"));
    reading.samplingFrom(request);
    reading.maxTokens = integer(request.get("max_tokens"));
    reading.userId = text(request.path("metadata").get("user_id"));
    List<Map<String, Object>> input = new ArrayList<>();
    JsonNode system = request.get("system");
    if (system != null && !system.isNull()) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("role", "system");
      message.put("content", json.convertValue(system, Object.class));
      input.add(message);
    }
    JsonNode messages = request.get("messages");
    if (messages != null && messages.isArray()) {
      input.addAll(json.convertValue(messages, List.class));
    }
    reading.input = (List<Map<String, Object>>) Bulky.elide(input);
  }

  void answer(JsonNode answer, Reading reading) {
    reading.responseId = text(answer.get("id"));
    if (text(answer.get("model")) != null) {
      reading.model = answer.get("model").asText();
    }
    if ("error".equals(text(answer.get("type")))) {
      reading.errorFrom(answer.get("error"));
      return;
    }
    reading.stopReason = text(answer.get("stop_reason"));
    List<MessagePart> parts = new ArrayList<>();
    for (JsonNode block : answer.path("content")) {
      parts.add(part(block, null));
    }
    reading.output.add(new ChatMessage("assistant", parts, reading.stopReason));
    usage(answer.get("usage"), reading);
  }

  void stream(List<SseEvents.Event> events, Reading reading) {
    TreeMap<Integer, Block> blocks = new TreeMap<>();
    for (SseEvents.JsonEvent object : SseEvents.objects(json, events)) {
      SseEvents.Event event = object.event();
      JsonNode data = object.data();
      switch (object.type()) {
        case "message_start" -> {
          JsonNode message = data.path("message");
          reading.responseId = text(message.get("id"));
          if (text(message.get("model")) != null) {
            reading.model = message.get("model").asText();
          }
          usage(message.get("usage"), reading);
        }
        case "content_block_start" ->
            blocks.put(
                data.path("index").asInt(blocks.size()), new Block(data.path("content_block")));
        case "content_block_delta" -> {
          Block block =
              blocks.computeIfAbsent(data.path("index").asInt(0), index -> new Block(null));
          if (block.add(data.path("delta"))) {
            reading.contentAt(event.end());
          }
        }
        case "message_delta" -> {
          if (text(data.path("delta").get("stop_reason")) != null) {
            reading.stopReason = data.path("delta").get("stop_reason").asText();
          }
          usage(data.get("usage"), reading);
        }
        case "error" -> reading.errorFrom(data.get("error"));
        default -> {}
      }
    }
    if (!blocks.isEmpty()) {
      List<MessagePart> parts = new ArrayList<>();
      blocks.values().forEach(block -> parts.add(block.part()));
      reading.output.add(new ChatMessage("assistant", parts, reading.stopReason));
    }
  }

  /**
   * Usage as a whole answer or a stream's events report it; a stream's later events update what
   * they carry.
   */
  private static void usage(JsonNode usage, Reading reading) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    Integer input = integer(usage.get("input_tokens"));
    Integer read = integer(usage.get("cache_read_input_tokens"));
    Integer written = integer(usage.get("cache_creation_input_tokens"));
    if (input != null || read != null || written != null) {
      Integer previousRead = reading.cachedInputTokens;
      Integer previousWritten = reading.cacheCreationTokens;
      reading.cachedInputTokens = read != null ? read : previousRead;
      reading.cacheCreationTokens = written != null ? written : previousWritten;
      Integer uncached = input;
      if (uncached == null && reading.inputTokens != null) {
        uncached = reading.inputTokens - orZero(previousRead) - orZero(previousWritten);
      }
      reading.inputTokens =
          Reading.sum(uncached, reading.cachedInputTokens, reading.cacheCreationTokens);
    }
    Integer output = integer(usage.get("output_tokens"));
    if (output != null) {
      reading.outputTokens = output;
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private MessagePart part(JsonNode block, String partialInput) {
    String type = text(block.get("type"));
    if (type == null) {
      return new MessagePart.Text("");
    }
    return switch (type) {
      case "text" -> new MessagePart.Text(block.path("text").asText(""));
      case "thinking" -> new MessagePart.Reasoning(block.path("thinking").asText(""));
      case "redacted_thinking" -> new MessagePart.Reasoning("[redacted]");
      case "tool_use", "server_tool_use" ->
          new MessagePart.ToolCall(
              text(block.get("id")),
              text(block.get("name")),
              partialInput != null
                  ? partialInput
                  : block.has("input")
                      ? json.convertValue(block.get("input"), Object.class)
                      : null);
      default -> other(block);
    };
  }

  @SuppressWarnings("unchecked")
  private MessagePart other(JsonNode block) {
    return new MessagePart.Other(
        block.path("type").asText("unknown"),
        (Map<String, Object>) Bulky.elide(json.convertValue(block, Map.class)));
  }

  /** One content block of a streamed message, put together from its deltas. */
  private final class Block {
    private final JsonNode start;
    private final StringBuilder text = new StringBuilder();
    private StringBuilder input;

    Block(JsonNode start) {
      this.start =
          start == null || !start.isObject() ? json.createObjectNode().put("type", "text") : start;
      this.text.append(this.start.path("text").asText(this.start.path("thinking").asText("")));
    }

    /** Adds a delta; true when it carried generated content. */
    boolean add(JsonNode delta) {
      switch (delta.path("type").asText("")) {
        case "text_delta" -> text.append(delta.path("text").asText(""));
        case "thinking_delta" -> text.append(delta.path("thinking").asText(""));
        case "input_json_delta" -> {
          input = input == null ? new StringBuilder() : input;
          input.append(delta.path("partial_json").asText(""));
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    MessagePart part() {
      String type = start.path("type").asText("text");
      return switch (type) {
        case "text" -> new MessagePart.Text(text.toString());
        case "thinking" -> new MessagePart.Reasoning(text.toString());
        default -> AnthropicReader.this.part(start, input == null ? null : input.toString());
      };
    }
  }
}
