package io.llmlog.server.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds a call's messages wherever its emitter put them, and returns them in a shape {@link
 * io.llmlog.core.message.Messages#normalize} accepts (the pipeline's {@code flatten} then stores
 * them in OpenTelemetry's GenAI shape and renders the prompt, system prompt and response):
 *
 * <ul>
 *   <li>the current conventions: {@code gen_ai.input.messages}, {@code gen_ai.output.messages},
 *       {@code gen_ai.system_instructions}, as attributes of the span, of a {@code
 *       gen_ai.client.inference.operation.details} event, or of such a log record;
 *   <li>the older per-message events {@code gen_ai.system.message}, {@code gen_ai.user.message},
 *       {@code gen_ai.assistant.message}, {@code gen_ai.tool.message} and {@code gen_ai.choice},
 *       with their content in the body (log records) or in {@code gen_ai.event.content} or the
 *       event's own attributes (span events); and the oldest {@code gen_ai.content.prompt} / {@code
 *       gen_ai.content.completion} events with {@code gen_ai.prompt} / {@code gen_ai.completion};
 *   <li>OpenLLMetry's {@code gen_ai.prompt.N.*} and {@code gen_ai.completion.N.*};
 *   <li>OpenInference's {@code llm.input_messages.N.message.*} and {@code
 *       llm.output_messages.N.message.*}.
 * </ul>
 */
final class ContentMapper {
  static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";

  private final ObjectMapper json;

  ContentMapper(ObjectMapper json) {
    this.json = json;
  }

  /** Messages found so far; either list may be empty. */
  record Content(List<Object> input, List<Object> output) {
    static Content empty() {
      return new Content(new ArrayList<>(), new ArrayList<>());
    }

    boolean isEmpty() {
      return input.isEmpty() && output.isEmpty();
    }
  }

  /** True for an event (span event or log record) that carries part of a call's content. */
  static boolean isContentEvent(String name) {
    return name != null
        && (name.equals(DETAILS_EVENT)
            || PER_MESSAGE_ROLES.containsKey(name)
            || name.equals("gen_ai.choice")
            || name.equals("gen_ai.content.prompt")
            || name.equals("gen_ai.content.completion"));
  }

  private static final Map<String, String> PER_MESSAGE_ROLES =
      Map.of(
          "gen_ai.system.message", "system",
          "gen_ai.user.message", "user",
          "gen_ai.assistant.message", "assistant",
          "gen_ai.tool.message", "tool");

  /** The messages in a span's (or a details event's) attributes, taking the keys it reads. */
  Content fromAttributes(Attributes attributes) {
    Content content = Content.empty();
    addAll(content.input(), attributes.structured("gen_ai.input.messages"));
    addAll(content.output(), attributes.structured("gen_ai.output.messages"));
    if (content.input().isEmpty() && attributes.hasPrefix("gen_ai.prompt.")) {
      openLlmetry(content.input(), Indexed.list(attributes.takePrefixed("gen_ai.prompt.")));
    }
    if (content.output().isEmpty() && attributes.hasPrefix("gen_ai.completion.")) {
      openLlmetry(content.output(), Indexed.list(attributes.takePrefixed("gen_ai.completion.")));
    }
    if (content.input().isEmpty() && attributes.hasPrefix("llm.input_messages.")) {
      openInference(content.input(), Indexed.list(attributes.takePrefixed("llm.input_messages.")));
    }
    if (content.output().isEmpty() && attributes.hasPrefix("llm.output_messages.")) {
      openInference(
          content.output(), Indexed.list(attributes.takePrefixed("llm.output_messages.")));
    }
    system(content.input(), attributes.structured("gen_ai.system_instructions"));
    return content;
  }

  /**
   * Adds what content events hold, in order. Choices go to the output by their index; the rest to
   * the input. A details event's attributes are read as a span's are.
   */
  void addEvents(Content content, List<OtlpSpan.Event> events) {
    List<Object> input = new ArrayList<>();
    TreeMap<Long, Object> choices = new TreeMap<>();
    long unindexed = 1L << 32;
    for (OtlpSpan.Event event : events) {
      String name = event.name();
      if (name.equals(DETAILS_EVENT)) {
        Content details = fromAttributes(new Attributes(event.attributes(), json));
        if (content.input().isEmpty()) {
          content.input().addAll(details.input());
        }
        if (content.output().isEmpty()) {
          content.output().addAll(details.output());
        }
      } else if (PER_MESSAGE_ROLES.containsKey(name)) {
        Map<String, Object> body = body(event);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(
            "role", body.get("role") instanceof String role ? role : PER_MESSAGE_ROLES.get(name));
        message.put("content", contentOf(body.get("content")));
        if (body.get("tool_calls") != null) {
          message.put("tool_calls", body.get("tool_calls"));
        }
        if (name.equals("gen_ai.tool.message") && body.get("id") != null) {
          message.put("tool_call_id", String.valueOf(body.get("id")));
        }
        input.add(message);
      } else if (name.equals("gen_ai.choice")) {
        Map<String, Object> body = body(event);
        Map<String, Object> inner =
            body.get("message") instanceof Map<?, ?> m
                ? io.llmlog.server.pipeline.Event.cast(m)
                : Map.of();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", inner.get("role") instanceof String role ? role : "assistant");
        message.put("content", contentOf(inner.get("content")));
        if (inner.get("tool_calls") != null) {
          message.put("tool_calls", inner.get("tool_calls"));
        }
        if (body.get("finish_reason") != null) {
          message.put("finish_reason", String.valueOf(body.get("finish_reason")));
        }
        long index = body.get("index") instanceof Number n ? n.longValue() : unindexed++;
        choices.put(index, message);
      } else if (name.equals("gen_ai.content.prompt")) {
        addText(input, "user", Attributes.parse(event.attributes().get("gen_ai.prompt"), json));
      } else if (name.equals("gen_ai.content.completion")) {
        List<Object> completion = new ArrayList<>();
        addText(
            completion,
            "assistant",
            Attributes.parse(event.attributes().get("gen_ai.completion"), json));
        completion.forEach(item -> choices.put(unindexedKey(choices), item));
      }
    }
    if (content.input().isEmpty()) {
      content.input().addAll(input);
    }
    if (content.output().isEmpty()) {
      content.output().addAll(choices.values());
    }
  }

  private static long unindexedKey(TreeMap<Long, Object> choices) {
    return choices.isEmpty() ? 0 : choices.lastKey() + 1;
  }

  /**
   * An event's content: a log record's body, else the JSON of {@code gen_ai.event.content}, else
   * its attributes.
   */
  private Map<String, Object> body(OtlpSpan.Event event) {
    if (event.body() instanceof Map<?, ?> map) {
      return io.llmlog.server.pipeline.Event.cast(map);
    }
    Object content = Attributes.parse(event.attributes().get("gen_ai.event.content"), json);
    if (content instanceof Map<?, ?> map) {
      return io.llmlog.server.pipeline.Event.cast(map);
    }
    if (event.body() instanceof String text) {
      return Map.of("content", text);
    }
    return event.attributes();
  }

  private Object contentOf(Object content) {
    return Attributes.parse(content, json);
  }

  /** A prompt or completion given as a JSON list of messages, or as plain text of one role. */
  private static void addText(List<Object> into, String role, Object value) {
    if (value instanceof List<?> list) {
      into.addAll(list);
    } else if (value != null) {
      into.add(Map.of("role", role, "content", String.valueOf(value)));
    }
  }

  private static void addAll(List<Object> into, Object value) {
    if (value instanceof List<?> list) {
      into.addAll(list);
    }
  }

  /** System instructions (a list of parts, or text) become the first message, role system. */
  private static void system(List<Object> input, Object instructions) {
    if (instructions == null) {
      return;
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "system");
    if (instructions instanceof List<?> parts) {
      message.put("parts", parts);
    } else {
      message.put("content", String.valueOf(instructions));
    }
    input.add(0, message);
  }

  /**
   * OpenLLMetry: {role, content, tool_calls: [{id, name, arguments}], tool_call_id, finish_reason}.
   */
  private void openLlmetry(List<Object> into, List<Object> messages) {
    if (messages == null) {
      return;
    }
    for (Object item : messages) {
      if (!(item instanceof Map<?, ?> map) || !(map.get("role") instanceof String)) {
        continue;
      }
      Map<String, Object> message = new LinkedHashMap<>(io.llmlog.server.pipeline.Event.cast(map));
      message.put("content", contentOf(message.get("content")));
      into.add(message);
    }
  }

  /**
   * OpenInference: {message: {role, content | contents: [{message_content: {type, text}}],
   * tool_calls: [{tool_call: {id, function}}], tool_call_id}}.
   */
  private void openInference(List<Object> into, List<Object> messages) {
    if (messages == null) {
      return;
    }
    for (Object item : messages) {
      if (!(item instanceof Map<?, ?> outer)
          || !(outer.get("message") instanceof Map<?, ?> inner)
          || !(inner.get("role") instanceof String role)) {
        continue;
      }
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("role", role);
      if (inner.get("contents") instanceof List<?> contents) {
        List<Object> parts = new ArrayList<>();
        for (Object content : contents) {
          if (content instanceof Map<?, ?> wrapper
              && wrapper.get("message_content") instanceof Map<?, ?> part) {
            String type = part.get("type") instanceof String t ? t : "text";
            parts.add(
                type.equals("text")
                    ? Map.of("type", "text", "content", String.valueOf(part.get("text")))
                    : new LinkedHashMap<>(io.llmlog.server.pipeline.Event.cast(part)));
          }
        }
        message.put("parts", parts);
      } else {
        message.put("content", contentOf(inner.get("content")));
      }
      if (inner.get("tool_calls") instanceof List<?> calls) {
        List<Object> toolCalls = new ArrayList<>();
        for (Object call : calls) {
          if (call instanceof Map<?, ?> wrapper
              && wrapper.get("tool_call") instanceof Map<?, ?> toolCall) {
            toolCalls.add(toolCall);
          }
        }
        message.put("tool_calls", toolCalls);
      }
      if (inner.get("tool_call_id") != null) {
        message.put("tool_call_id", String.valueOf(inner.get("tool_call_id")));
      }
      into.add(message);
    }
  }
}
