package io.llmlog.core.codec;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.message.Messages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record shapes llmlog accepts, brought onto its flat fields ({@link io.llmlog.core.LogField}):
 * the one alias table ({@link #ALIASES}, {@link #FLATTENED}, {@link #WRAPPER}), used by the SDK's
 * reader ({@link LlmLogJson#read}) and by the server's pipeline ({@code flatten}) alike, so that a
 * record means the same wherever it is read. A flat field already set is never overwritten; of
 * several aliases of one field, the first present wins. Besides the table: a list {@code
 * gen_ai.response.finish_reasons} gives {@code stop_reason} its first, an object {@code service}
 * gives its {@code name}, and an {@code error} sent as text becomes {@code {type: "error", message:
 * <the text>}}. The table is written out for users in {@code docs/pipeline.md} ("Accepted record
 * shapes"); {@code RecordShapesTest} keeps the two equal.
 *
 * <p>Structured messages ({@code input_messages}, {@code output_messages}) are read in any shape
 * {@link Messages#normalize} knows by both readers; {@link #renderMessages} turns them into the
 * flat texts for the pipeline, which stores what search and redaction work on. The SDK's reader
 * does not render: it gives back the call as it was written.
 */
public final class RecordShapes {
  /** The wrapper object of the brief's Logstash {@code json} filter ({@code target => "llm"}). */
  public static final String WRAPPER = "llm";

  /** Objects whose members are flat fields. */
  public static final List<String> FLATTENED = List.of("metrics", "config", "performance");

  /** Another name of a field. */
  public record Alias(String from, String to) {}

  /** Source path → field, tried in order. */
  public static final List<Alias> ALIASES =
      List.of(
          new Alias("model_name", "model"),
          new Alias("first_token_latency_ms", "ttft_ms"),
          new Alias("usage.prompt_tokens", "input_tokens"),
          new Alias("usage.completion_tokens", "output_tokens"),
          new Alias("usage.input_tokens", "input_tokens"),
          new Alias("usage.output_tokens", "output_tokens"),
          new Alias("usage.total_tokens", "total_tokens"),
          new Alias("usage.prompt_tokens_details.cached_tokens", "cached_input_tokens"),
          new Alias("usage.cache_read_input_tokens", "cached_input_tokens"),
          new Alias("usage.completion_tokens_details.reasoning_tokens", "reasoning_tokens"),
          new Alias("gen_ai.request.model", "model"),
          new Alias("gen_ai.response.model", "model"),
          new Alias("gen_ai.provider.name", "provider"),
          new Alias("gen_ai.system", "provider"),
          new Alias("gen_ai.usage.input_tokens", "input_tokens"),
          new Alias("gen_ai.usage.output_tokens", "output_tokens"),
          new Alias("gen_ai.request.temperature", "temperature"),
          new Alias("gen_ai.request.top_p", "top_p"),
          new Alias("gen_ai.request.max_tokens", "max_tokens"),
          new Alias("gen_ai.conversation.id", "session_id"));

  /** Objects left behind empty once their members moved are removed. */
  private static final List<String> EMPTIED = List.of("usage", "gen_ai");

  private RecordShapes() {}

  /**
   * Brings a record onto the flat fields, in place.
   *
   * @param record a JSON object as maps, lists and scalars, dotted keys already expanded ({@link
   *     MapPaths#expandDottedKeys})
   */
  public static void normalise(Map<String, Object> record) {
    lift(record, WRAPPER, !MapPaths.has(record, "request_id"));
    for (String object : FLATTENED) {
      lift(record, object, true);
    }
    for (Alias alias : ALIASES) {
      MapPaths.moveIfAbsent(record, alias.from(), alias.to());
    }
    if (MapPaths.get(record, "gen_ai.response.finish_reasons") instanceof List<?> reasons
        && !reasons.isEmpty()
        && !MapPaths.has(record, "stop_reason")) {
      record.put("stop_reason", String.valueOf(reasons.get(0)));
      MapPaths.remove(record, "gen_ai.response.finish_reasons");
    }
    for (String object : EMPTIED) {
      removeIfEmpty(record, object);
    }
    if (record.get("service") instanceof Map<?, ?> service
        && service.get("name") instanceof String name) {
      record.put("service", name);
    }
    if (record.get("error") instanceof String message) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", "error");
      error.put("message", message);
      record.put("error", error);
    }
  }

  /**
   * Brings structured messages into the stored shape and renders them into {@code prompt}, {@code
   * system_prompt} and {@code response}, unless the record brings those texts itself. Messages of a
   * shape llmlog does not know are left as sent, for the schema check to reject the record naming
   * the message.
   */
  public static void renderMessages(Map<String, Object> record) {
    String inputField = LogField.INPUT_MESSAGES.jsonName();
    String outputField = LogField.OUTPUT_MESSAGES.jsonName();
    try {
      if (record.get(inputField) instanceof List<?> given) {
        List<Map<String, Object>> input = Messages.normalize(given, inputField);
        record.put(inputField, input);
        putIfAbsent(record, LogField.PROMPT, Messages.prompt(input));
        putIfAbsent(record, LogField.SYSTEM_PROMPT, Messages.systemPrompt(input));
      }
      if (record.get(outputField) instanceof List<?> given) {
        List<Map<String, Object>> output = Messages.normalize(given, outputField);
        record.put(outputField, output);
        putIfAbsent(record, LogField.RESPONSE, Messages.response(output));
      }
    } catch (InvalidFieldException e) {
      // Left as sent: the schema check names the message that is wrong.
    }
  }

  private static void putIfAbsent(Map<String, Object> record, LogField field, String value) {
    if (value != null && record.get(field.jsonName()) == null) {
      record.put(field.jsonName(), value);
    }
  }

  /**
   * Lifts the members of an object to the top level (unless set there), and drops it once empty.
   */
  private static void lift(Map<String, Object> record, String object, boolean when) {
    if (when && record.get(object) instanceof Map<?, ?> members) {
      for (String member : List.copyOf(MapPaths.cast(members).keySet())) {
        MapPaths.moveIfAbsent(record, object + "." + member, member);
      }
      removeIfEmpty(record, object);
    }
  }

  /** Removes an object whose members were all moved out, empty nested objects included. */
  private static void removeIfEmpty(Map<String, Object> record, String path) {
    if (MapPaths.get(record, path) instanceof Map<?, ?> map && isEmpty(map)) {
      MapPaths.remove(record, path);
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
