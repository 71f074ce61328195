package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of one turn of a conversation, from a stored call: what was new in its input and
 * what the model answered. A chat application sends the whole history with every call; shown as a
 * thread, each turn brings only the messages after the model's previous answer.
 *
 * <p>From {@code input_messages} / {@code output_messages} when the call has them (the GenAI shape
 * every source stores, {@link io.llmlog.core.message.Messages}); otherwise from the flat {@code
 * prompt} and {@code response} texts, as one user and one assistant message.
 */
public final class Conversation {
  private Conversation() {}

  /** A message, its parts as text. */
  public record Message(String role, List<Part> parts) {
    public Message {
      parts = List.copyOf(parts);
    }
  }

  /**
   * One part of a message.
   *
   * @param type {@code text}, {@code tool_call}, {@code tool_call_response}, {@code reasoning}, or
   *     another type as stored
   * @param text the text; a tool call's arguments or a tool's response as JSON text; null for other
   *     types
   * @param name a tool call's tool name, or the id of the call a response answers
   */
  public record Part(String type, String text, String name) {}

  /**
   * The input messages after the model's last answer in it, system messages aside; the prompt when
   * there are none.
   */
  static List<Message> newInput(JsonNode call) {
    JsonNode messages = call.path("input_messages");
    if (messages.isArray() && !messages.isEmpty()) {
      int lastAnswer = -1;
      for (int i = 0; i < messages.size(); i++) {
        if ("assistant".equals(messages.get(i).path("role").asText())) {
          lastAnswer = i;
        }
      }
      List<Message> fresh = new ArrayList<>();
      for (int i = lastAnswer + 1; i < messages.size(); i++) {
        if (!isSystem(messages.get(i))) {
          fresh.add(message(messages.get(i)));
        }
      }
      if (fresh.isEmpty()) {
        fresh.add(message(messages.get(messages.size() - 1)));
      }
      return fresh;
    }
    return text("user", call.path("prompt"));
  }

  /** The answer: {@code output_messages}, else the response as one assistant message. */
  static List<Message> output(JsonNode call) {
    JsonNode messages = call.path("output_messages");
    if (messages.isArray() && !messages.isEmpty()) {
      List<Message> output = new ArrayList<>();
      messages.forEach(message -> output.add(message(message)));
      return output;
    }
    return text("assistant", call.path("response"));
  }

  /**
   * The system instructions of the turn: its system messages' text, else {@code system_prompt};
   * null when none.
   */
  static String system(JsonNode call) {
    StringBuilder text = new StringBuilder();
    for (JsonNode message : call.path("input_messages")) {
      if (isSystem(message)) {
        for (Part part : message(message).parts()) {
          if (part.text() != null) {
            text.append(text.isEmpty() ? "" : "\n\n").append(part.text());
          }
        }
      }
    }
    if (!text.isEmpty()) {
      return text.toString();
    }
    JsonNode prompt = call.path("system_prompt");
    return prompt.isTextual() ? prompt.asText() : null;
  }

  private static boolean isSystem(JsonNode message) {
    String role = message.path("role").asText();
    return role.equals("system") || role.equals("developer");
  }

  private static Message message(JsonNode message) {
    List<Part> parts = new ArrayList<>();
    for (JsonNode part : message.path("parts")) {
      String type = part.path("type").asText("other");
      parts.add(
          switch (type) {
            case "text", "reasoning" -> new Part(type, json(part.path("content")), null);
            case "tool_call" ->
                new Part(type, json(part.path("arguments")), text(part.path("name")));
            case "tool_call_response" ->
                new Part(type, json(part.path("response")), text(part.path("id")));
            default -> new Part(type, null, null);
          });
    }
    return new Message(message.path("role").asText("unknown"), parts);
  }

  private static List<Message> text(String role, JsonNode text) {
    return text.isTextual()
        ? List.of(new Message(role, List.of(new Part("text", text.asText(), null))))
        : List.of();
  }

  /** A JSON value as text: strings as they are, anything else as compact JSON. */
  private static String json(JsonNode value) {
    return value.isMissingNode() || value.isNull()
        ? null
        : value.isTextual() ? value.asText() : value.toString();
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : null;
  }
}
