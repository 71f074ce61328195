package io.llmlog.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.llmlog.core.ErrorInfo;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityField;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.Texts;
import io.llmlog.core.Timestamps;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.Messages;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Writes and reads LLM call records as JSON, on Jackson's streaming API.
 *
 * <p>Two forms are written:
 *
 * <ul>
 *   <li>the brief's logger line ({@link #briefLine}): exactly the keys, nesting and order of the
 *       brief's {@code StructuredLogger.log_request}, with its Python separators, the prompt cut to
 *       1000 characters and non-ASCII text unescaped, so existing Filebeat/Logstash setups keep
 *       working;
 *   <li>the flat document ({@link #document}): every field under its canonical name ({@link
 *       LogField}), absent values omitted, which is what llmlog stores.
 * </ul>
 *
 * <p>{@link #read} accepts either form and every shape of {@link RecordShapes}, the alias table the
 * server's pipeline uses too ({@code model_name}, {@code first_token_latency_ms}, {@code usage.*},
 * {@code gen_ai.*}, {@code error} as a string, ...), numbers written as strings included.
 */
public final class LlmLogJson {
  /** The brief's logger keeps the first 1000 characters of the prompt. */
  public static final int BRIEF_PROMPT_LIMIT = 1000;

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private LlmLogJson() {}

  /** The shared, thread-safe factory the codec writes and reads with. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * The brief's logger line for an entry.
   *
   * @param defaultService the logger's service name, used when the entry names none
   */
  public static String briefLine(LlmLogEntry entry, String defaultService) {
    return briefLine(entry, defaultService, Map.of());
  }

  /**
   * The brief's logger line with {@code extraFields} after the brief's own, such as the SDK's
   * {@code sample_weight} and {@code redacted}, written with the line's separators.
   */
  public static String briefLine(
      LlmLogEntry entry, String defaultService, Map<String, ?> extraFields) {
    StringWriter out =
        new StringWriter(
            256
                + (entry.prompt() == null
                    ? 0
                    : Math.min(entry.prompt().length(), BRIEF_PROMPT_LIMIT * 2)));
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(PythonSeparators.INSTANCE);
      writeBriefLine(entry, defaultService, extraFields, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the brief's logger line to a generator, as {@link #briefLine} describes. */
  public static void writeBriefLine(LlmLogEntry entry, String defaultService, JsonGenerator gen)
      throws IOException {
    writeBriefLine(entry, defaultService, Map.of(), gen);
  }

  /**
   * Writes the brief's logger line, then the error of a failed call (as {@code "error": {"type",
   * "message"}}, which the brief's line lacks and a reader of the log needs), then {@code
   * extraFields}.
   */
  public static void writeBriefLine(
      LlmLogEntry entry, String defaultService, Map<String, ?> extraFields, JsonGenerator gen)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("timestamp", Timestamps.format(entry.timestamp()));
    writeStringOrNull(gen, "service", entry.service() != null ? entry.service() : defaultService);
    gen.writeStringField("level", entry.level().value());
    writeStringOrNull(gen, "request_id", entry.requestId());
    writeStringOrNull(gen, "model", entry.model());
    gen.writeObjectFieldStart("metrics");
    writeNumberOrNull(gen, "input_tokens", entry.usage().inputTokens());
    writeNumberOrNull(gen, "output_tokens", entry.usage().outputTokens());
    writeNumberOrNull(gen, "latency_ms", entry.performance().latencyMs());
    writeNumberOrNull(gen, "ttft_ms", entry.performance().ttftMs());
    gen.writeEndObject();
    gen.writeObjectFieldStart("config");
    writeNumberOrNull(gen, "temperature", entry.parameters().temperature());
    writeNumberOrNull(gen, "max_tokens", entry.parameters().maxTokens());
    gen.writeEndObject();
    writeStringOrNull(gen, "prompt", Texts.firstCodePoints(entry.prompt(), BRIEF_PROMPT_LIMIT));
    writeStringOrNull(gen, "stop_reason", entry.stopReason());
    writeError(gen, entry.error());
    writeExtra(gen, extraFields);
    gen.writeEndObject();
  }

  private static void writeError(JsonGenerator gen, ErrorInfo error) throws IOException {
    if (error != null) {
      gen.writeObjectFieldStart("error");
      gen.writeStringField("type", Texts.replaceLoneSurrogates(error.type()));
      gen.writeStringField("message", Texts.replaceLoneSurrogates(error.message()));
      gen.writeEndObject();
    }
  }

  private static void writeExtra(JsonGenerator gen, Map<String, ?> extraFields) throws IOException {
    for (Map.Entry<String, ?> field : extraFields.entrySet()) {
      gen.writeFieldName(field.getKey());
      JsonMaps.write(gen, field.getValue());
    }
  }

  /** The flat document of an entry; {@code defaultService} fills in a missing service. */
  public static String document(LlmLogEntry entry, String defaultService) {
    StringWriter out = new StringWriter(512 + textLength(entry));
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      writeDocument(entry, defaultService, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The flat document of an entry. */
  public static String document(LlmLogEntry entry) {
    return document(entry, null);
  }

  /** Writes the flat document of an entry: every present field under its canonical name. */
  public static void writeDocument(LlmLogEntry entry, String defaultService, JsonGenerator gen)
      throws IOException {
    writeDocument(entry, defaultService, Map.of(), gen);
  }

  /**
   * Writes the flat document of an entry followed by {@code extraFields}, such as the SDK's {@code
   * sample_weight} and {@code redacted}.
   */
  public static void writeDocument(
      LlmLogEntry entry, String defaultService, Map<String, ?> extraFields, JsonGenerator gen)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField(LogField.TIMESTAMP.jsonName(), Timestamps.format(entry.timestamp()));
    writeString(gen, LogField.REQUEST_ID, entry.requestId());
    writeString(gen, LogField.TRACE_ID, entry.traceId());
    writeString(gen, LogField.PARENT_ID, entry.parentId());
    writeString(gen, LogField.SPAN_ID, entry.spanId());
    writeString(gen, LogField.SESSION_ID, entry.sessionId());
    writeString(gen, LogField.SERVICE, entry.service() != null ? entry.service() : defaultService);
    writeString(gen, LogField.ENVIRONMENT, entry.environment());
    writeString(gen, LogField.USER_ID, entry.userId());
    writeString(gen, LogField.MODEL, entry.model());
    writeString(gen, LogField.PROVIDER, entry.provider());
    writeString(gen, LogField.OPERATION, entry.operation());
    writeString(gen, LogField.LEVEL, entry.level().value());
    writeString(gen, LogField.STOP_REASON, entry.stopReason());
    writeNumber(gen, LogField.TEMPERATURE, entry.parameters().temperature());
    writeNumber(gen, LogField.TOP_P, entry.parameters().topP());
    writeNumber(gen, LogField.MAX_TOKENS, entry.parameters().maxTokens());
    writeNumber(gen, LogField.INPUT_TOKENS, entry.usage().inputTokens());
    writeNumber(gen, LogField.OUTPUT_TOKENS, entry.usage().outputTokens());
    writeNumber(gen, LogField.TOTAL_TOKENS, entry.usage().totalTokens());
    writeNumber(gen, LogField.CACHED_INPUT_TOKENS, entry.usage().cachedInputTokens());
    writeNumber(gen, LogField.REASONING_TOKENS, entry.usage().reasoningTokens());
    writeNumber(
        gen, LogField.CACHE_CREATION_INPUT_TOKENS, entry.usage().cacheCreationInputTokens());
    writeNumber(gen, LogField.LATENCY_MS, entry.performance().latencyMs());
    writeNumber(gen, LogField.TTFT_MS, entry.performance().ttftMs());
    writeNumber(gen, LogField.QUEUE_WAIT_MS, entry.performance().queueWaitMs());
    writeNumber(gen, LogField.GENERATION_MS, entry.performance().generationMs());
    writeNumber(gen, LogField.TOKENS_PER_SECOND, entry.performance().tokensPerSecond());
    writeNumber(gen, LogField.COST_USD, entry.costUsd());
    writeError(gen, entry.error());
    if (!entry.metadata().isEmpty()) {
      gen.writeObjectFieldStart(LogField.METADATA.jsonName());
      for (Map.Entry<String, String> item : entry.metadata().entrySet()) {
        gen.writeStringField(
            Texts.replaceLoneSurrogates(item.getKey()),
            Texts.replaceLoneSurrogates(item.getValue()));
      }
      gen.writeEndObject();
    }
    if (!entry.tags().isEmpty()) {
      gen.writeArrayFieldStart(LogField.TAGS.jsonName());
      for (String tag : entry.tags()) {
        gen.writeString(Texts.replaceLoneSurrogates(tag));
      }
      gen.writeEndArray();
    }
    // The long texts last, so that a human reading the raw line sees the numbers first.
    writeString(gen, LogField.PROMPT, entry.prompt());
    writeString(gen, LogField.SYSTEM_PROMPT, entry.systemPrompt());
    writeString(gen, LogField.RESPONSE, entry.response());
    writeMessages(gen, LogField.INPUT_MESSAGES, entry.inputMessages());
    writeMessages(gen, LogField.OUTPUT_MESSAGES, entry.outputMessages());
    writeExtra(gen, extraFields);
    gen.writeEndObject();
  }

  private static void writeMessages(JsonGenerator gen, LogField field, List<ChatMessage> messages)
      throws IOException {
    if (!messages.isEmpty()) {
      gen.writeFieldName(field.jsonName());
      JsonMaps.write(gen, Messages.toTree(messages));
    }
  }

  /** The document of a quality record. */
  public static String qualityDocument(QualityLogEntry quality) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      writeQuality(quality, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the document of a quality record. */
  public static void writeQuality(QualityLogEntry quality, JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    gen.writeStringField(QualityField.TIMESTAMP.jsonName(), Timestamps.format(quality.timestamp()));
    gen.writeStringField(
        QualityField.REQUEST_ID.jsonName(), Texts.replaceLoneSurrogates(quality.requestId()));
    if (quality.rating() != null) {
      gen.writeNumberField(QualityField.RATING.jsonName(), quality.rating());
    }
    if (quality.feedback() != null) {
      gen.writeStringField(
          QualityField.FEEDBACK.jsonName(), Texts.replaceLoneSurrogates(quality.feedback()));
    }
    if (!quality.annotations().isEmpty()) {
      gen.writeArrayFieldStart(QualityField.ANNOTATIONS.jsonName());
      for (String annotation : quality.annotations()) {
        gen.writeString(Texts.replaceLoneSurrogates(annotation));
      }
      gen.writeEndArray();
    }
    if (quality.reviewerId() != null) {
      gen.writeStringField(
          QualityField.REVIEWER_ID.jsonName(), Texts.replaceLoneSurrogates(quality.reviewerId()));
    }
    if (!quality.scores().isEmpty()) {
      gen.writeObjectFieldStart(QualityField.SCORES.jsonName());
      for (Map.Entry<String, Double> score : quality.scores().entrySet()) {
        gen.writeNumberField(Texts.replaceLoneSurrogates(score.getKey()), score.getValue());
      }
      gen.writeEndObject();
    }
    if (quality.evaluator() != null) {
      gen.writeStringField(
          QualityField.EVALUATOR.jsonName(), Texts.replaceLoneSurrogates(quality.evaluator()));
    }
    if (quality.label() != null) {
      gen.writeStringField(
          QualityField.LABEL.jsonName(), Texts.replaceLoneSurrogates(quality.label()));
    }
    if (quality.explanation() != null) {
      gen.writeStringField(
          QualityField.EXPLANATION.jsonName(), Texts.replaceLoneSurrogates(quality.explanation()));
    }
    gen.writeEndObject();
  }

  /**
   * Reads one call record in either form, or any shape {@link RecordShapes} knows.
   *
   * @throws InvalidFieldException naming the field when a value breaks the schema
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static LlmLogEntry read(String json) {
    Map<String, Object> object = readObject(json);
    // Metadata keys are the application's own; a dot in one ("model.family") is part of the key.
    Object metadata = object.remove("metadata");
    Map<String, Object> record = MapPaths.expandDottedKeys(object);
    if (metadata != null) {
      record.put("metadata", metadata);
    }
    RecordShapes.normalise(record);
    return EntryReader.read(record);
  }

  /** Reads one quality record. */
  public static QualityLogEntry readQuality(String json) {
    return QualityReader.read(readObject(json));
  }

  /** A JSON object as maps, lists and scalars. */
  private static Map<String, Object> readObject(String json) {
    try {
      return JsonMaps.readObject(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static int textLength(LlmLogEntry entry) {
    return length(entry.prompt()) + length(entry.systemPrompt()) + length(entry.response());
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private static void writeString(JsonGenerator gen, LogField field, String value)
      throws IOException {
    if (value != null) {
      gen.writeStringField(field.jsonName(), Texts.replaceLoneSurrogates(value));
    }
  }

  private static void writeNumber(JsonGenerator gen, LogField field, Number value)
      throws IOException {
    if (value != null) {
      writeNumberOrNull(gen, field.jsonName(), value);
    }
  }

  private static void writeStringOrNull(JsonGenerator gen, String name, String value)
      throws IOException {
    if (value == null) {
      gen.writeNullField(name);
    } else {
      gen.writeStringField(name, Texts.replaceLoneSurrogates(value));
    }
  }

  private static void writeNumberOrNull(JsonGenerator gen, String name, Number value)
      throws IOException {
    gen.writeFieldName(name);
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof Integer number) {
      gen.writeNumber(number);
    } else {
      gen.writeNumber(value.doubleValue());
    }
  }

  /** Builds an entry from a record already on the flat fields. */
  private static final class EntryReader {
    static LlmLogEntry read(Map<String, Object> record) {
      // A record read is taken as written: no timestamp or request id made up for it.
      LlmLogEntry.Builder builder = LlmLogEntry.builder().noDefaults();
      for (Map.Entry<String, Object> field : record.entrySet()) {
        String name = field.getKey();
        Object value = field.getValue();
        if (value == null) {
          continue;
        }
        switch (name) {
          case "timestamp" -> builder.timestamp(FieldValues.instant(value, name));
          case "request_id" -> builder.requestId(FieldValues.scalar(value, name));
          case "trace_id" -> builder.traceId(FieldValues.scalar(value, name));
          case "parent_id" -> builder.parentId(FieldValues.scalar(value, name));
          case "span_id" -> builder.spanId(FieldValues.scalar(value, name));
          case "operation" -> builder.operation(FieldValues.scalar(value, name));
          case "input_messages" ->
              builder.inputMessages(Messages.fromTree(Messages.normalize(value, name)));
          case "output_messages" ->
              builder.outputMessages(Messages.fromTree(Messages.normalize(value, name)));
          case "session_id" -> builder.sessionId(FieldValues.scalar(value, name));
          case "service" -> builder.service(FieldValues.scalar(value, name));
          case "environment" -> builder.environment(FieldValues.scalar(value, name));
          case "user_id" -> builder.userId(FieldValues.scalar(value, name));
          case "model" -> builder.model(FieldValues.scalar(value, name));
          case "provider" -> builder.provider(FieldValues.scalar(value, name));
          case "level" -> builder.level(LogLevel.parse(FieldValues.scalar(value, name)));
          case "stop_reason" -> builder.stopReason(FieldValues.scalar(value, name));
          case "prompt" -> builder.prompt(FieldValues.scalar(value, name));
          case "system_prompt" -> builder.systemPrompt(FieldValues.scalar(value, name));
          case "response" -> builder.response(FieldValues.scalar(value, name));
          case "temperature" -> builder.temperature(FieldValues.number(value, name));
          case "top_p" -> builder.topP(FieldValues.number(value, name));
          case "max_tokens" -> builder.maxTokens(FieldValues.integer(value, name));
          case "input_tokens" -> builder.inputTokens(FieldValues.integer(value, name));
          case "output_tokens" -> builder.outputTokens(FieldValues.integer(value, name));
          case "cached_input_tokens" -> builder.cachedInputTokens(FieldValues.integer(value, name));
          case "reasoning_tokens" -> builder.reasoningTokens(FieldValues.integer(value, name));
          case "cache_creation_input_tokens" ->
              builder.cacheCreationInputTokens(FieldValues.integer(value, name));
          case "latency_ms" -> builder.latencyMs(FieldValues.number(value, name));
          case "ttft_ms" -> builder.firstTokenLatencyMs(FieldValues.number(value, name));
          case "queue_wait_ms" -> builder.queueWaitMs(FieldValues.number(value, name));
          case "generation_ms" -> builder.generationMs(FieldValues.number(value, name));
          case "tokens_per_second" -> builder.tokensPerSecond(FieldValues.number(value, name));
          case "cost_usd" -> builder.costUsd(FieldValues.number(value, name));
          case "error" -> builder.error(error(value));
          case "metadata" -> builder.metadata(metadata(value));
          case "tags" -> builder.tags(FieldValues.strings(value, name));
          default -> {
            // total_tokens is derived; unknown fields are not ours.
          }
        }
      }
      return builder.build();
    }

    private static ErrorInfo error(Object value) {
      if (!(value instanceof Map<?, ?> error)) {
        throw new InvalidFieldException("error", "must be an object with type and message");
      }
      Object type = error.get("type");
      Object message = error.get("message");
      if (type == null && message == null) {
        return null;
      }
      return new ErrorInfo(
          type == null ? "error" : FieldValues.scalar(type, "error.type"),
          message == null ? null : FieldValues.scalar(message, "error.message"));
    }

    private static Map<String, String> metadata(Object value) {
      if (!(value instanceof Map<?, ?> map)) {
        throw new InvalidFieldException("metadata", "must be an object");
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      map.forEach(
          (key, item) -> {
            if (item != null && !(item instanceof Map) && !(item instanceof List)) {
              metadata.put(String.valueOf(key), String.valueOf(item));
            }
          });
      return metadata;
    }
  }

  /** Builds a quality record. */
  private static final class QualityReader {
    static QualityLogEntry read(Map<String, Object> record) {
      Map<String, Double> scores = new LinkedHashMap<>();
      Object given = record.get("scores");
      if (given != null) {
        if (!(given instanceof Map<?, ?> map)) {
          throw new InvalidFieldException("scores", "must be an object");
        }
        map.forEach(
            (score, number) ->
                scores.put(String.valueOf(score), FieldValues.number(number, "scores." + score)));
      }
      List<String> annotations = optional(record, "annotations", FieldValues::strings);
      return new QualityLogEntry(
          optional(record, "timestamp", FieldValues::instant),
          optional(record, "request_id", FieldValues::scalar),
          optional(record, "rating", FieldValues::integer),
          optional(record, "feedback", FieldValues::scalar),
          annotations == null ? List.of() : annotations,
          optional(record, "reviewer_id", FieldValues::scalar),
          scores,
          optional(record, "evaluator", FieldValues::scalar),
          optional(record, "label", FieldValues::scalar),
          optional(record, "explanation", FieldValues::scalar));
    }

    private static <T> T optional(
        Map<String, Object> record, String name, BiFunction<Object, String, T> read) {
      Object value = record.get(name);
      return value == null ? null : read.apply(value, name);
    }
  }
}
