package io.llmlog.core.message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A part of a {@link ChatMessage}. JSON values ({@code arguments}, {@code response}, the fields of
 * {@link Other}) are plain Java values: strings, numbers, booleans, lists and maps.
 */
public sealed interface MessagePart {
  /** The part's {@code type} in JSON. */
  String type();

  /** Text written by the role. */
  record Text(String content) implements MessagePart {
    public Text {
      content = Objects.requireNonNullElse(content, "");
    }

    @Override
    public String type() {
      return "text";
    }
  }

  /**
   * The model asks for a tool to be run. {@code arguments} is a JSON value or the model's JSON
   * text.
   */
  record ToolCall(String id, String name, Object arguments) implements MessagePart {
    @Override
    public String type() {
      return "tool_call";
    }
  }

  /** What a tool returned, sent back to the model; {@code id} is the tool call's. */
  record ToolCallResponse(String id, Object response) implements MessagePart {
    @Override
    public String type() {
      return "tool_call_response";
    }
  }

  /** The model's visible reasoning, when the provider returns it. */
  record Reasoning(String content) implements MessagePart {
    public Reasoning {
      content = Objects.requireNonNullElse(content, "");
    }

    @Override
    public String type() {
      return "reasoning";
    }
  }

  /** Any other part (an image, a file, a URI...), kept with all its fields. */
  record Other(String type, Map<String, Object> fields) implements MessagePart {
    public Other {
      Objects.requireNonNull(type, "type");
      fields =
          fields == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }
}
