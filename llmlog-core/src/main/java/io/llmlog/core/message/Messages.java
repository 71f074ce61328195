package io.llmlog.core.message;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.Texts;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, writes and renders chat messages. The stored form is OpenTelemetry's GenAI message shape
 * as plain JSON values:
 *
 * <pre>
 * [{"role": "system", "parts": [{"type": "text", "content": "你是一个AI助手"}]},
 *  {"role": "user", "parts": [{"type": "text", "content": "What is the weather in Paris?"}]},
 *  {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_1", "name": "weather", "arguments": {"city": "Paris"}}]},
 *  {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "response": "rainy, 57°F"}]}]
 * </pre>
 *
 * <p>{@link #normalize} also takes the shapes applications and providers write messages in — the
 * OpenAI chat format ({@code content} as text or parts, {@code tool_calls}, {@code tool_call_id})
 * and Anthropic's content blocks ({@code tool_use}, {@code tool_result}, {@code thinking}) — so
 * every source stores one shape.
 */
public final class Messages {
  private Messages() {}

  /** The stored form of typed messages. */
  public static List<Map<String, Object>> toTree(List<ChatMessage> messages) {
    List<Map<String, Object>> tree = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("role", message.role());
      List<Object> parts = new ArrayList<>(message.parts().size());
      for (MessagePart part : message.parts()) {
        parts.add(toTree(part));
      }
      node.put("parts", parts);
      if (message.finishReason() != null) {
        node.put("finish_reason", message.finishReason());
      }
      tree.add(node);
    }
    return tree;
  }

  private static Map<String, Object> toTree(MessagePart part) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("type", part.type());
    if (part instanceof MessagePart.Text text) {
      node.put("content", text.content());
    } else if (part instanceof MessagePart.Reasoning reasoning) {
      node.put("content", reasoning.content());
    } else if (part instanceof MessagePart.ToolCall call) {
      putIfPresent(node, "id", call.id());
      putIfPresent(node, "name", call.name());
      putIfPresent(node, "arguments", call.arguments());
    } else if (part instanceof MessagePart.ToolCallResponse response) {
      putIfPresent(node, "id", response.id());
      putIfPresent(node, "response", response.response());
    } else if (part instanceof MessagePart.Other other) {
      other
          .fields()
          .forEach(
              (key, value) -> {
                if (!key.equals("type")) {
                  node.put(key, value);
                }
              });
    }
    return node;
  }

  /** Typed messages from the stored form (as {@link #normalize} returns it). */
  public static List<ChatMessage> fromTree(List<Map<String, Object>> tree) {
    List<ChatMessage> messages = new ArrayList<>(tree.size());
    for (Map<String, Object> node : tree) {
      List<MessagePart> parts = new ArrayList<>();
      for (Object item : (List<?>) node.get("parts")) {
        parts.add(part(cast((Map<?, ?>) item)));
      }
      messages.add(
          new ChatMessage((String) node.get("role"), parts, string(node.get("finish_reason"))));
    }
    return messages;
  }

  private static MessagePart part(Map<String, Object> node) {
    return switch ((String) node.get("type")) {
      case "text" -> new MessagePart.Text(string(node.get("content")));
      case "reasoning" -> new MessagePart.Reasoning(string(node.get("content")));
      case "tool_call" ->
          new MessagePart.ToolCall(
              string(node.get("id")), string(node.get("name")), node.get("arguments"));
      case "tool_call_response" ->
          new MessagePart.ToolCallResponse(string(node.get("id")), node.get("response"));
      default -> new MessagePart.Other((String) node.get("type"), node);
    };
  }

  /**
   * Checks messages in any accepted shape and returns them in the stored one.
   *
   * @param value a list of message objects
   * @param field the field's name, for errors ({@code input_messages})
   * @throws InvalidFieldException naming the message and part that is wrong
   */
  public static List<Map<String, Object>> normalize(Object value, String field) {
    if (!(value instanceof List<?> items)) {
      throw new InvalidFieldException(field, "must be a list of messages");
    }
    List<Map<String, Object>> messages = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = field + "[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> item)) {
        throw new InvalidFieldException(at, "must be an object with a role and parts");
      }
      messages.add(message(cast(item), at));
    }
    return messages;
  }

  private static Map<String, Object> message(Map<String, Object> item, String at) {
    if (!(item.get("role") instanceof String role) || Texts.isBlank(role)) {
      throw new InvalidFieldException(at + ".role", "is required");
    }
    List<Object> parts = new ArrayList<>();
    Object given = item.containsKey("parts") ? item.get("parts") : item.get("content");
    if (given instanceof String text) {
      parts.add(text(text));
    } else if (given instanceof List<?> list) {
      for (int j = 0; j < list.size(); j++) {
        Object part = list.get(j);
        if (part instanceof String text) {
          parts.add(text(text));
        } else if (part instanceof Map<?, ?> map) {
          parts.add(part(cast(map), at + ".parts[" + j + "]"));
        } else if (part != null) {
          throw new InvalidFieldException(
              at + ".parts[" + j + "]", "must be an object with a type");
        }
      }
    } else if (given != null) {
      throw new InvalidFieldException(at + ".parts", "must be a list of parts");
    }
    // The OpenAI chat format: the assistant's tool calls beside its content, and a tool's answer
    // as a message of role tool naming the call.
    if (item.get("tool_calls") instanceof List<?> calls) {
      for (Object call : calls) {
        if (call instanceof Map<?, ?> map) {
          Map<String, Object> function =
              map.get("function") instanceof Map<?, ?> f ? cast(f) : cast(map);
          parts.add(toolCall(map.get("id"), function.get("name"), function.get("arguments")));
        }
      }
    }
    if (item.get("tool_call_id") instanceof String id) {
      Object response =
          parts.size() == 1
                  && parts.get(0) instanceof Map<?, ?> only
                  && "text".equals(only.get("type"))
              ? only.get("content")
              : given;
      parts.clear();
      parts.add(toolResponse(id, response));
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", role);
    if (item.get("name") instanceof String name) {
      message.put("name", name);
    }
    message.put("parts", parts);
    if (item.get("finish_reason") instanceof String reason) {
      message.put("finish_reason", reason);
    }
    return message;
  }

  private static Map<String, Object> part(Map<String, Object> part, String at) {
    if (!(part.get("type") instanceof String type) || Texts.isBlank(type)) {
      throw new InvalidFieldException(at + ".type", "is required");
    }
    return switch (type) {
      // OpenAI's content parts say "text" where the conventions say "content".
      case "text" ->
          text(string(part.containsKey("content") ? part.get("content") : part.get("text")));
      case "tool_use" -> toolCall(part.get("id"), part.get("name"), part.get("input"));
      case "tool_result" -> toolResponse(part.get("tool_use_id"), part.get("content"));
      case "thinking" -> reasoning(string(part.get("thinking")));
      // The conventions' own registry example writes a tool's answer as "result" where their
      // JSON schema says "response"; instrumentations copy either.
      case "tool_call_response" ->
          part.containsKey("response") || !part.containsKey("result")
              ? new LinkedHashMap<>(part)
              : toolResponse(part.get("id"), part.get("result"));
      default -> new LinkedHashMap<>(part);
    };
  }

  private static Map<String, Object> text(String content) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "text");
    part.put("content", content == null ? "" : content);
    return part;
  }

  private static Map<String, Object> reasoning(String content) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "reasoning");
    part.put("content", content == null ? "" : content);
    return part;
  }

  private static Map<String, Object> toolCall(Object id, Object name, Object arguments) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "tool_call");
    putIfPresent(part, "id", string(id));
    putIfPresent(part, "name", string(name));
    putIfPresent(part, "arguments", arguments);
    return part;
  }

  private static Map<String, Object> toolResponse(Object id, Object response) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "tool_call_response");
    putIfPresent(part, "id", string(id));
    putIfPresent(part, "response", response);
    return part;
  }

  /**
   * The system prompt: the text of the system (and developer) messages, in order, or null when
   * there are none.
   */
  public static String systemPrompt(List<Map<String, Object>> messages) {
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> message : messages) {
      if (isSystem(message)) {
        append(text, renderParts(message));
      }
    }
    return text.isEmpty() ? null : text.toString();
  }

  /**
   * The prompt as text: a lone user message's text as it is; a conversation as one block per
   * message, {@code role: text}, so that search and redaction see every turn. Null when there is no
   * message but system ones.
   */
  public static String prompt(List<Map<String, Object>> messages) {
    List<Map<String, Object>> turns = new ArrayList<>(messages.size());
    for (Map<String, Object> message : messages) {
      if (!isSystem(message)) {
        turns.add(message);
      }
    }
    return render(turns, "user");
  }

  /**
   * The response as text: a lone assistant message's parts as they are, several messages with their
   * roles.
   */
  public static String response(List<Map<String, Object>> messages) {
    return render(messages, "assistant");
  }

  private static String render(List<Map<String, Object>> messages, String plainRole) {
    if (messages.isEmpty()) {
      return null;
    }
    if (messages.size() == 1 && plainRole.equals(messages.get(0).get("role"))) {
      return renderParts(messages.get(0));
    }
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> message : messages) {
      append(text, message.get("role") + ": " + renderParts(message));
    }
    return text.toString();
  }

  private static boolean isSystem(Map<String, Object> message) {
    Object role = message.get("role");
    return "system".equals(role) || "developer".equals(role);
  }

  private static String renderParts(Map<String, Object> message) {
    StringBuilder text = new StringBuilder();
    if (message.get("parts") instanceof List<?> parts) {
      for (Object item : parts) {
        if (!(item instanceof Map<?, ?> part)) {
          continue;
        }
        String rendered =
            switch (String.valueOf(part.get("type"))) {
              case "text" -> string(part.get("content"));
              case "reasoning" -> "[reasoning] " + string(part.get("content"));
              case "tool_call" ->
                  "[tool_call "
                      + string(part.get("name"))
                      + " "
                      + json(part.get("arguments"))
                      + "]";
              case "tool_call_response" ->
                  "[tool_result " + string(part.get("id")) + "] " + json(part.get("response"));
              default -> "[" + part.get("type") + "]";
            };
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(rendered);
      }
    }
    return text.toString();
  }

  private static void append(StringBuilder text, String block) {
    if (!text.isEmpty()) {
      text.append("\n\n");
    }
    text.append(block);
  }

  /** A JSON value as text: strings as they are, anything else as compact JSON. */
  static String json(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String text) {
      return text;
    }
    StringWriter out = new StringWriter();
    try (var gen = io.llmlog.core.codec.LlmLogJson.factory().createGenerator(out)) {
      io.llmlog.core.codec.JsonMaps.write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void putIfPresent(Map<String, Object> node, String key, Object value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  private static String string(Object value) {
    return value == null ? null : value instanceof String text ? text : json(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
