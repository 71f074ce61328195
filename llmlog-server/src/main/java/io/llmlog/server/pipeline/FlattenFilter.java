package io.llmlog.server.pipeline;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.message.Messages;
import java.util.List;
import java.util.Map;

/**
 * Brings the shapes applications send onto llmlog's flat fields, as the brief's Logstash
 * {@code ruby} filter does: the brief's nested {@code metrics} and {@code config}, its
 * {@code model_name} and {@code first_token_latency_ms}, an {@code llm} wrapper (the brief's
 * {@code json} filter target), OpenAI and Anthropic {@code usage} objects, and OpenTelemetry
 * GenAI attributes ({@code gen_ai.*}), and ECS/OpenTelemetry {@code service.name}; structured
 * {@code input_messages} and {@code output_messages} are rendered into {@code prompt},
 * {@code system_prompt} and {@code response}. A flat field that is already set is never overwritten.
 */
final class FlattenFilter implements Filter {
  /** Source path → canonical field, tried in order. */
  private static final List<String[]> MOVES = List.of(
      new String[] {"model_name", "model"},
      new String[] {"first_token_latency_ms", "ttft_ms"},
      new String[] {"usage.prompt_tokens", "input_tokens"},
      new String[] {"usage.completion_tokens", "output_tokens"},
      new String[] {"usage.input_tokens", "input_tokens"},
      new String[] {"usage.output_tokens", "output_tokens"},
      new String[] {"usage.total_tokens", "total_tokens"},
      new String[] {"usage.prompt_tokens_details.cached_tokens", "cached_input_tokens"},
      new String[] {"usage.cache_read_input_tokens", "cached_input_tokens"},
      new String[] {"usage.completion_tokens_details.reasoning_tokens", "reasoning_tokens"},
      new String[] {"gen_ai.request.model", "model"},
      new String[] {"gen_ai.response.model", "model"},
      new String[] {"gen_ai.provider.name", "provider"},
      new String[] {"gen_ai.system", "provider"},
      new String[] {"gen_ai.usage.input_tokens", "input_tokens"},
      new String[] {"gen_ai.usage.output_tokens", "output_tokens"},
      new String[] {"gen_ai.request.temperature", "temperature"},
      new String[] {"gen_ai.request.top_p", "top_p"},
      new String[] {"gen_ai.request.max_tokens", "max_tokens"},
      new String[] {"gen_ai.conversation.id", "session_id"});

  /** Objects whose members are flat fields in the brief's nesting. */
  private static final List<String> FLATTENED_OBJECTS = List.of("metrics", "config");

  @Override
  public String name() {
    return "flatten";
  }

  @Override
  public boolean apply(Event event) {
    unwrap(event, "llm");
    for (String object : FLATTENED_OBJECTS) {
      if (event.get(object) instanceof Map<?, ?> members) {
        for (String member : List.copyOf(Event.cast(members).keySet())) {
          event.moveIfAbsent(object + "." + member, member);
        }
        removeIfEmpty(event, object);
      }
    }
    for (String[] move : MOVES) {
      event.moveIfAbsent(move[0], move[1]);
    }
    if (event.get("gen_ai.response.finish_reasons") instanceof List<?> reasons && !reasons.isEmpty() && !event.has("stop_reason")) {
      event.set("stop_reason", String.valueOf(reasons.get(0)));
      event.remove("gen_ai.response.finish_reasons");
    }
    removeIfEmpty(event, "usage");
    removeIfEmpty(event, "gen_ai");
    // ECS and OpenTelemetry write the service as an object; llmlog's service is its name.
    if (event.get("service") instanceof Map<?, ?> service && service.get("name") instanceof String name) {
      event.set("service", name);
    }
    if (event.get("error") instanceof String message) {
      event.set("error", new java.util.LinkedHashMap<String, Object>(Map.of("type", "error", "message", message)));
    }
    renderMessages(event);
    return true;
  }

  /**
   * Structured messages become the flat texts search, redaction and the brief's index work on,
   * unless the record brings those texts itself. Messages of a shape llmlog does not know are left
   * for the schema check, which rejects the record naming the message.
   */
  private static void renderMessages(Event event) {
    try {
      if (event.get(LogField.INPUT_MESSAGES.jsonName()) instanceof List<?> given) {
        List<Map<String, Object>> input = Messages.normalize(given, LogField.INPUT_MESSAGES.jsonName());
        event.set(LogField.INPUT_MESSAGES.jsonName(), input);
        setIfAbsent(event, LogField.PROMPT, Messages.prompt(input));
        setIfAbsent(event, LogField.SYSTEM_PROMPT, Messages.systemPrompt(input));
      }
      if (event.get(LogField.OUTPUT_MESSAGES.jsonName()) instanceof List<?> given) {
        List<Map<String, Object>> output = Messages.normalize(given, LogField.OUTPUT_MESSAGES.jsonName());
        event.set(LogField.OUTPUT_MESSAGES.jsonName(), output);
        setIfAbsent(event, LogField.RESPONSE, Messages.response(output));
      }
    } catch (InvalidFieldException e) {
      // Left as sent: the schema check names the message that is wrong.
    }
  }

  private static void setIfAbsent(Event event, LogField field, String value) {
    if (value != null && !event.has(field.jsonName())) {
      event.set(field.jsonName(), value);
    }
  }

  /** Lifts the members of a wrapper object (the brief's {@code json} target) to the top level. */
  private static void unwrap(Event event, String wrapper) {
    if (event.get(wrapper) instanceof Map<?, ?> members && !event.has("request_id")) {
      for (String member : List.copyOf(Event.cast(members).keySet())) {
        event.moveIfAbsent(wrapper + "." + member, member);
      }
      removeIfEmpty(event, wrapper);
    }
  }

  /** Removes an object whose members were all moved out, empty nested objects included. */
  private static void removeIfEmpty(Event event, String path) {
    if (event.get(path) instanceof Map<?, ?> map && isEmpty(map)) {
      event.remove(path);
    }
  }

  private static boolean isEmpty(Map<?, ?> map) {
    for (Object value : map.values()) {
      if (!(value instanceof Map<?, ?> child) || !isEmpty(child)) {
        return false;
      }
    }
    return true;
  }
}
