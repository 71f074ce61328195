package io.llmlog.server.gateway;

import static io.llmlog.server.gateway.Reading.integer;
import static io.llmlog.server.gateway.Reading.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.MessagePart;
import io.llmlog.core.message.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads calls in OpenAI's shapes — chat completions, text completions, embeddings and responses,
 * whole or streamed — into a {@link Reading}. Compatible APIs that add fields of their own are read
 * too ({@code reasoning_content}, {@code prompt_cache_hit_tokens}).
 */
final class OpenAiReader {
  private final ObjectMapper json;

  OpenAiReader(ObjectMapper json) {
    this.json = json;
  }

  void request(Operation operation, JsonNode request, Reading reading) {
    reading.model = text(request.get("model"));
    reading.samplingFrom(request);
    reading.maxTokens =
        first(
            integer(request.get("max_tokens")),
            integer(request.get("max_completion_tokens")),
            integer(request.get("max_output_tokens")));
    reading.userId =
        text(request.get("user")) != null
            ? text(request.get("user"))
            : text(request.get("safety_identifier"));
    switch (operation) {
      case CHAT -> reading.input = list(request.get("messages"));
      case TEXT_COMPLETION ->
          reading.input = Messages.toTree(List.of(ChatMessage.user(joined(request.get("prompt")))));
      case EMBEDDINGS -> reading.prompt = joined(request.get("input"));
      case RESPONSES -> {
        List<ChatMessage> input = new ArrayList<>();
        if (text(request.get("instructions")) != null) {
          input.add(ChatMessage.system(request.get("instructions").asText()));
        }
        JsonNode items = request.get("input");
        if (items != null && items.isTextual()) {
          input.add(ChatMessage.user(items.asText()));
        } else {
          items(items, "user", input);
        }
        reading.input = Messages.toTree(input);
      }
      default -> {}
    }
  }

  /** An answer that is one JSON document. */
  void answer(Operation operation, JsonNode answer, Reading reading) {
    reading.responseId = text(answer.get("id"));
    if (text(answer.get("model")) != null) {
      reading.model = answer.get("model").asText();
    }
    reading.errorFrom(answer.get("error"));
    if (operation == Operation.RESPONSES) {
      items(answer.get("output"), "assistant", reading.output);
      String status = text(answer.get("status"));
      String incomplete = text(answer.path("incomplete_details").get("reason"));
      reading.stopReason =
          incomplete != null ? incomplete : "completed".equals(status) ? "stop" : status;
      JsonNode usage = answer.get("usage");
      if (usage != null && usage.isObject()) {
        reading.inputTokens = integer(usage.get("input_tokens"));
        reading.outputTokens = integer(usage.get("output_tokens"));
        reading.cachedInputTokens =
            integer(usage.path("input_tokens_details").get("cached_tokens"));
        reading.reasoningTokens =
            integer(usage.path("output_tokens_details").get("reasoning_tokens"));
      }
      return;
    }
    for (JsonNode choice : answer.path("choices")) {
      String finish = text(choice.get("finish_reason"));
      if (reading.stopReason == null) {
        reading.stopReason = finish;
      }
      if (choice.has("message")) {
        reading.output.add(assistant(choice.get("message"), finish));
      } else if (choice.has("text")) {
        reading.output.add(
            ChatMessage.assistant(choice.get("text").asText()).withFinishReason(finish));
      }
    }
    usage(answer.get("usage"), reading);
  }

  /** A streamed answer: its events in order. */
  void stream(Operation operation, List<SseEvents.Event> events, Reading reading) {
    if (operation == Operation.RESPONSES) {
      responsesStream(events, reading);
      return;
    }
    TreeMap<Integer, Choice> choices = new TreeMap<>();
    for (SseEvents.JsonEvent object : SseEvents.objects(json, events)) {
      SseEvents.Event event = object.event();
      JsonNode chunk = object.data();
      reading.errorFrom(chunk.get("error"));
      if (reading.responseId == null) {
        reading.responseId = text(chunk.get("id"));
      }
      if (text(chunk.get("model")) != null) {
        reading.model = chunk.get("model").asText();
      }
      usage(chunk.get("usage"), reading);
      for (JsonNode item : chunk.path("choices")) {
        Choice choice = choices.computeIfAbsent(item.path("index").asInt(0), index -> new Choice());
        if (choice.add(item)) {
          reading.contentAt(event.end());
        }
      }
    }
    for (Choice choice : choices.values()) {
      reading.output.add(choice.message());
      if (reading.stopReason == null) {
        reading.stopReason = choice.finish;
      }
    }
  }

  private void responsesStream(List<SseEvents.Event> events, Reading reading) {
    StringBuilder text = new StringBuilder();
    JsonNode last = null;
    for (SseEvents.JsonEvent object : SseEvents.objects(json, events)) {
      SseEvents.Event event = object.event();
      JsonNode data = object.data();
      switch (object.type()) {
        case "response.output_text.delta" -> {
          text.append(data.path("delta").asText(""));
          reading.contentAt(event.end());
        }
        case "response.reasoning_summary_text.delta",
            "response.reasoning_text.delta",
            "response.function_call_arguments.delta",
            "response.refusal.delta" ->
            reading.contentAt(event.end());
        case "response.created",
            "response.in_progress",
            "response.completed",
            "response.incomplete",
            "response.failed" ->
            last = data.get("response");
        case "error" -> reading.errorFrom(data);
        default -> {}
      }
    }
    if (last != null
        && last.isObject()
        && (last.path("output").size() > 0 || last.has("usage") && !last.get("usage").isNull())) {
      String errorType = reading.errorType;
      String errorMessage = reading.errorMessage;
      answer(Operation.RESPONSES, last, reading);
      if (reading.errorMessage == null) {
        reading.errorType = errorType;
        reading.errorMessage = errorMessage;
      }
    } else {
      if (last != null && text(last.get("model")) != null) {
        reading.model = last.get("model").asText();
      }
      if (!text.isEmpty()) {
        reading.output.add(ChatMessage.assistant(text.toString()));
      }
    }
  }

  private static void usage(JsonNode usage, Reading reading) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    reading.inputTokens = integer(usage.get("prompt_tokens"));
    reading.outputTokens = integer(usage.get("completion_tokens"));
    reading.cachedInputTokens =
        first(
            integer(usage.path("prompt_tokens_details").get("cached_tokens")),
            integer(usage.get("prompt_cache_hit_tokens")));
    reading.reasoningTokens =
        integer(usage.path("completion_tokens_details").get("reasoning_tokens"));
  }

  /**
   * A chat completion's message, with reasoning (from compatible APIs), text and tool calls as
   * parts.
   */
  private ChatMessage assistant(JsonNode message, String finish) {
    List<MessagePart> parts = new ArrayList<>();
    String reasoning =
        text(message.get("reasoning_content")) != null
            ? text(message.get("reasoning_content"))
            : text(message.get("reasoning"));
    if (reasoning != null) {
      parts.add(new MessagePart.Reasoning(reasoning));
    }
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      parts.add(new MessagePart.Text(content.asText()));
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        parts.add(
            text(part.get("text")) != null
                ? new MessagePart.Text(part.get("text").asText())
                : other(part));
      }
    }
    if (text(message.get("refusal")) != null) {
      parts.add(new MessagePart.Text(message.get("refusal").asText()));
    }
    for (JsonNode call : message.path("tool_calls")) {
      parts.add(
          new MessagePart.ToolCall(
              text(call.get("id")),
              text(call.path("function").get("name")),
              argument(call.path("function").get("arguments"))));
    }
    if (message.path("function_call").isObject()) {
      parts.add(
          new MessagePart.ToolCall(
              null,
              text(message.get("function_call").get("name")),
              argument(message.get("function_call").get("arguments"))));
    }
    String role = text(message.get("role"));
    return new ChatMessage(role == null ? "assistant" : role, parts, finish);
  }

  /** The items of a Responses API input or output, as messages. */
  private void items(JsonNode items, String defaultRole, List<ChatMessage> messages) {
    if (items == null || !items.isArray()) {
      return;
    }
    for (JsonNode item : items) {
      String type = text(item.get("type"));
      String role = text(item.get("role"));
      if (type == null || type.equals("message")) {
        List<MessagePart> parts = new ArrayList<>();
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) {
          parts.add(new MessagePart.Text(content.asText()));
        } else if (content != null) {
          for (JsonNode part : content) {
            String text =
                text(part.get("text")) != null ? text(part.get("text")) : text(part.get("refusal"));
            parts.add(text != null ? new MessagePart.Text(text) : other(part));
          }
        }
        messages.add(new ChatMessage(role == null ? defaultRole : role, parts, null));
      } else if (type.equals("function_call")) {
        messages.add(
            new ChatMessage(
                "assistant",
                List.of(
                    new MessagePart.ToolCall(
                        text(item.get("call_id")),
                        text(item.get("name")),
                        argument(item.get("arguments")))),
                null));
      } else if (type.equals("function_call_output")) {
        messages.add(
            new ChatMessage(
                "tool",
                List.of(
                    new MessagePart.ToolCallResponse(
                        text(item.get("call_id")), argument(item.get("output")))),
                null));
      } else if (type.equals("reasoning")) {
        StringBuilder summary = new StringBuilder();
        for (JsonNode part : item.path("summary")) {
          summary.append(summary.isEmpty() ? "" : "\n").append(part.path("text").asText(""));
        }
        messages.add(
            new ChatMessage(
                "assistant", List.of(new MessagePart.Reasoning(summary.toString())), null));
      } else {
        messages.add(
            new ChatMessage(role == null ? defaultRole : role, List.of(other(item)), null));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private MessagePart other(JsonNode part) {
    Map<String, Object> fields =
        (Map<String, Object>) Bulky.elide(json.convertValue(part, Map.class));
    String type = text(part.get("type"));
    return new MessagePart.Other(type == null ? "unknown" : type, fields);
  }

  /**
   * A tool call's arguments or a tool's output: the model's text as it is, any other JSON as a
   * value.
   */
  private Object argument(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? node.asText() : json.convertValue(node, Object.class);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> list(JsonNode node) {
    return node != null && node.isArray()
        ? (List<Map<String, Object>>) Bulky.elide(json.convertValue(node, List.class))
        : null;
  }

  /** A prompt or embedding input as text: a string as it is, a list of strings one per line. */
  private static String joined(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode item : node) {
      text.append(text.isEmpty() ? "" : "\n")
          .append(item.isTextual() ? item.asText() : "[" + item.size() + " tokens]");
    }
    return text.toString();
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** One choice of a streamed chat or text completion, put together from its deltas. */
  private static final class Choice {
    private String role;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final TreeMap<Integer, String[]> tools = new TreeMap<>();
    private final TreeMap<Integer, StringBuilder> arguments = new TreeMap<>();
    private String finish;

    /** Adds a chunk's choice; true when it carried generated content. */
    boolean add(JsonNode item) {
      if (text(item.get("finish_reason")) != null) {
        finish = item.get("finish_reason").asText();
      }
      boolean generated = false;
      if (text(item.get("text")) != null && !item.get("text").asText().isEmpty()) {
        content.append(item.get("text").asText());
        generated = true;
      }
      JsonNode delta = item.get("delta");
      if (delta == null || !delta.isObject()) {
        return generated;
      }
      if (text(delta.get("role")) != null) {
        role = delta.get("role").asText();
      }
      String text = text(delta.get("content"));
      if (text != null && !text.isEmpty()) {
        content.append(text);
        generated = true;
      }
      String thought =
          text(delta.get("reasoning_content")) != null
              ? text(delta.get("reasoning_content"))
              : text(delta.get("reasoning"));
      if (thought != null && !thought.isEmpty()) {
        reasoning.append(thought);
        generated = true;
      }
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.path("index").asInt(tools.size());
        String[] tool = tools.computeIfAbsent(index, i -> new String[2]);
        if (text(call.get("id")) != null) {
          tool[0] = call.get("id").asText();
        }
        if (text(call.path("function").get("name")) != null) {
          tool[1] = call.path("function").get("name").asText();
        }
        String piece = text(call.path("function").get("arguments"));
        if (piece != null) {
          arguments.computeIfAbsent(index, i -> new StringBuilder()).append(piece);
        }
        generated = true;
      }
      return generated;
    }

    ChatMessage message() {
      List<MessagePart> parts = new ArrayList<>();
      if (!reasoning.isEmpty()) {
        parts.add(new MessagePart.Reasoning(reasoning.toString()));
      }
      if (!content.isEmpty() || tools.isEmpty()) {
        parts.add(new MessagePart.Text(content.toString()));
      }
      tools.forEach(
          (index, tool) -> {
            StringBuilder args = arguments.get(index);
            parts.add(
                new MessagePart.ToolCall(tool[0], tool[1], args == null ? null : args.toString()));
          });
      return new ChatMessage(role == null ? "assistant" : role, parts, finish);
    }
  }
}
