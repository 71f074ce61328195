package io.llmlog.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads LLM call records as JSON, on Jackson's streaming API.
 *
 * <p>Two forms are written:
 *
 * <ul>
 *   <li>the brief's logger line ({@link #briefLine}): exactly the keys, nesting and order of the
 *       brief's {@code StructuredLogger.log_request}, with its Python separators, the prompt cut
 *       to 1000 characters and non-ASCII text unescaped, so existing Filebeat/Logstash setups keep
 *       working;
 *   <li>the flat document ({@link #document}): every field under its canonical name
 *       ({@link LogField}), absent values omitted, which is what llmlog stores.
 * </ul>
 *
 * <p>{@link #read} accepts either form, and the aliases applications use ({@code model_name},
 * {@code first_token_latency_ms}, {@code error} as a string, numbers written as strings).
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
  public static String briefLine(LlmLogEntry entry, String defaultService, Map<String, ?> extraFields) {
    StringWriter out = new StringWriter(256 + (entry.prompt() == null ? 0 : Math.min(entry.prompt().length(), BRIEF_PROMPT_LIMIT * 2)));
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(PythonSeparators.INSTANCE);
      writeBriefLine(entry, defaultService, extraFields, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the brief's logger line to a generator, as {@link #briefLine} describes. */
  public static void writeBriefLine(LlmLogEntry entry, String defaultService, JsonGenerator gen) throws IOException {
    writeBriefLine(entry, defaultService, Map.of(), gen);
  }

  /**
   * Writes the brief's logger line, then the error of a failed call (as {@code "error": {"type",
   * "message"}}, which the brief's line lacks and a reader of the log needs), then {@code extraFields}.
   */
  public static void writeBriefLine(LlmLogEntry entry, String defaultService, Map<String, ?> extraFields, JsonGenerator gen)
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
      JsonTree.write(gen, field.getValue());
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
  public static void writeDocument(LlmLogEntry entry, String defaultService, JsonGenerator gen) throws IOException {
    writeDocument(entry, defaultService, Map.of(), gen);
  }

  /**
   * Writes the flat document of an entry followed by {@code extraFields}, such as the SDK's
   * {@code sample_weight} and {@code redacted}.
   */
  public static void writeDocument(LlmLogEntry entry, String defaultService, Map<String, ?> extraFields, JsonGenerator gen)
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
    writeNumber(gen, LogField.CACHE_CREATION_INPUT_TOKENS, entry.usage().cacheCreationInputTokens());
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
        gen.writeStringField(Texts.replaceLoneSurrogates(item.getKey()), Texts.replaceLoneSurrogates(item.getValue()));
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

  private static void writeMessages(JsonGenerator gen, LogField field, List<ChatMessage> messages) throws IOException {
    if (!messages.isEmpty()) {
      gen.writeFieldName(field.jsonName());
      JsonTree.write(gen, Messages.toTree(messages));
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
    gen.writeStringField(QualityField.REQUEST_ID.jsonName(), Texts.replaceLoneSurrogates(quality.requestId()));
    if (quality.rating() != null) {
      gen.writeNumberField(QualityField.RATING.jsonName(), quality.rating());
    }
    if (quality.feedback() != null) {
      gen.writeStringField(QualityField.FEEDBACK.jsonName(), Texts.replaceLoneSurrogates(quality.feedback()));
    }
    if (!quality.annotations().isEmpty()) {
      gen.writeArrayFieldStart(QualityField.ANNOTATIONS.jsonName());
      for (String annotation : quality.annotations()) {
        gen.writeString(Texts.replaceLoneSurrogates(annotation));
      }
      gen.writeEndArray();
    }
    if (quality.reviewerId() != null) {
      gen.writeStringField(QualityField.REVIEWER_ID.jsonName(), Texts.replaceLoneSurrogates(quality.reviewerId()));
    }
    if (!quality.scores().isEmpty()) {
      gen.writeObjectFieldStart(QualityField.SCORES.jsonName());
      for (Map.Entry<String, Double> score : quality.scores().entrySet()) {
        gen.writeNumberField(Texts.replaceLoneSurrogates(score.getKey()), score.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  /**
   * Reads one call record in either form.
   *
   * @throws InvalidFieldException naming the field when a value breaks the schema
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static LlmLogEntry read(String json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      expectObjectStart(parser);
      LlmLogEntry entry = EntryReader.read(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing content after the JSON object");
      }
      return entry;
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Reads one quality record. */
  public static QualityLogEntry readQuality(String json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      expectObjectStart(parser);
      return QualityReader.read(parser);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static void expectObjectStart(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("expected a JSON object");
    }
  }

  private static int textLength(LlmLogEntry entry) {
    return length(entry.prompt()) + length(entry.systemPrompt()) + length(entry.response());
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private static void writeString(JsonGenerator gen, LogField field, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(field.jsonName(), Texts.replaceLoneSurrogates(value));
    }
  }

  private static void writeNumber(JsonGenerator gen, LogField field, Number value) throws IOException {
    if (value != null) {
      writeNumberOrNull(gen, field.jsonName(), value);
    }
  }

  private static void writeStringOrNull(JsonGenerator gen, String name, String value) throws IOException {
    if (value == null) {
      gen.writeNullField(name);
    } else {
      gen.writeStringField(name, Texts.replaceLoneSurrogates(value));
    }
  }

  private static void writeNumberOrNull(JsonGenerator gen, String name, Number value) throws IOException {
    gen.writeFieldName(name);
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof Integer number) {
      gen.writeNumber(number);
    } else {
      gen.writeNumber(value.doubleValue());
    }
  }

  /** Reads the fields of one call record into a builder; nested {@code metrics} and {@code config} objects are flattened. */
  private static final class EntryReader {
    private final LlmLogEntry.Builder builder = LlmLogEntry.builder().noDefaults();
    private String errorType;
    private String errorMessage;

    static LlmLogEntry read(JsonParser parser) throws IOException {
      EntryReader reader = new EntryReader();
      reader.readObject(parser, "");
      if (reader.errorType != null || reader.errorMessage != null) {
        reader.builder.error(new ErrorInfo(reader.errorType == null ? "error" : reader.errorType, reader.errorMessage));
      }
      return reader.builder.build();
    }

    /** Reads fields until the object's end; {@code prefix} is the dotted path of the enclosing object. */
    private void readObject(JsonParser parser, String prefix) throws IOException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        readField(parser, prefix.isEmpty() ? name : prefix + "." + name, name, value);
      }
    }

    private void readField(JsonParser parser, String path, String name, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return;
      }
      switch (path) {
        case "metrics", "config", "usage", "performance" -> {
          expect(value, JsonToken.START_OBJECT, path);
          // The brief's nesting: metrics.latency_ms is latency_ms.
          readObject(parser, "");
        }
        case "error" -> {
          if (value == JsonToken.START_OBJECT) {
            readObject(parser, "error");
          } else {
            errorMessage = text(parser, value, path);
          }
        }
        case "error.type" -> errorType = text(parser, value, path);
        case "error.message" -> errorMessage = text(parser, value, path);
        case "metadata" -> readMetadata(parser, value);
        case "tags" -> builder.tags(readStrings(parser, value, path));
        case "timestamp" -> builder.timestamp(value == JsonToken.VALUE_STRING
            ? Timestamps.parse(parser.getText())
            : Timestamps.fromEpoch(number(parser, value, path)));
        case "request_id" -> builder.requestId(text(parser, value, path));
        case "trace_id" -> builder.traceId(text(parser, value, path));
        case "parent_id" -> builder.parentId(text(parser, value, path));
        case "span_id" -> builder.spanId(text(parser, value, path));
        case "operation" -> builder.operation(text(parser, value, path));
        case "input_messages" -> builder.inputMessages(Messages.fromTree(Messages.normalize(JsonTree.read(parser), path)));
        case "output_messages" -> builder.outputMessages(Messages.fromTree(Messages.normalize(JsonTree.read(parser), path)));
        case "cache_creation_input_tokens" -> builder.cacheCreationInputTokens(integer(parser, value, path));
        case "session_id" -> builder.sessionId(text(parser, value, path));
        case "service" -> builder.service(text(parser, value, path));
        case "environment" -> builder.environment(text(parser, value, path));
        case "user_id" -> builder.userId(text(parser, value, path));
        case "model", "model_name" -> builder.model(text(parser, value, path));
        case "provider" -> builder.provider(text(parser, value, path));
        case "level" -> builder.level(LogLevel.parse(text(parser, value, path)));
        case "stop_reason" -> builder.stopReason(text(parser, value, path));
        case "prompt" -> builder.prompt(text(parser, value, path));
        case "system_prompt" -> builder.systemPrompt(text(parser, value, path));
        case "response" -> builder.response(text(parser, value, path));
        case "temperature" -> builder.temperature(number(parser, value, path));
        case "top_p" -> builder.topP(number(parser, value, path));
        case "max_tokens" -> builder.maxTokens(integer(parser, value, path));
        case "input_tokens" -> builder.inputTokens(integer(parser, value, path));
        case "output_tokens" -> builder.outputTokens(integer(parser, value, path));
        case "cached_input_tokens" -> builder.cachedInputTokens(integer(parser, value, path));
        case "reasoning_tokens" -> builder.reasoningTokens(integer(parser, value, path));
        case "latency_ms" -> builder.latencyMs(number(parser, value, path));
        case "ttft_ms", "first_token_latency_ms" -> builder.firstTokenLatencyMs(number(parser, value, path));
        case "queue_wait_ms" -> builder.queueWaitMs(number(parser, value, path));
        case "generation_ms" -> builder.generationMs(number(parser, value, path));
        case "tokens_per_second" -> builder.tokensPerSecond(number(parser, value, path));
        case "cost_usd" -> builder.costUsd(number(parser, value, path));
        default -> parser.skipChildren(); // total_tokens is derived; unknown fields are not ours.
      }
    }

    private void readMetadata(JsonParser parser, JsonToken value) throws IOException {
      expect(value, JsonToken.START_OBJECT, "metadata");
      Map<String, String> metadata = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken item = parser.nextToken();
        if (item.isScalarValue()) {
          if (item != JsonToken.VALUE_NULL) {
            metadata.put(key, parser.getText());
          }
        } else {
          parser.skipChildren();
        }
      }
      builder.metadata(metadata);
    }
  }

  /** Reads the fields of one quality record. */
  private static final class QualityReader {
    static QualityLogEntry read(JsonParser parser) throws IOException {
      java.time.Instant timestamp = null;
      String requestId = null;
      Integer rating = null;
      String feedback = null;
      List<String> annotations = List.of();
      String reviewerId = null;
      Map<String, Double> scores = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (name) {
          case "timestamp" -> timestamp = value == JsonToken.VALUE_STRING
              ? Timestamps.parse(parser.getText())
              : Timestamps.fromEpoch(number(parser, value, name));
          case "request_id" -> requestId = text(parser, value, name);
          case "rating" -> rating = integer(parser, value, name);
          case "feedback" -> feedback = text(parser, value, name);
          case "annotations" -> annotations = readStrings(parser, value, name);
          case "reviewer_id" -> reviewerId = text(parser, value, name);
          case "scores" -> {
            expect(value, JsonToken.START_OBJECT, name);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String score = parser.currentName();
              scores.put(score, number(parser, parser.nextToken(), "scores." + score));
            }
          }
          default -> parser.skipChildren();
        }
      }
      return new QualityLogEntry(timestamp, requestId, rating, feedback, annotations, reviewerId, scores);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String field) {
    if (actual != expected) {
      throw new InvalidFieldException(field, "must be " + (expected == JsonToken.START_OBJECT ? "an object" : "an array"));
    }
  }

  private static String text(JsonParser parser, JsonToken value, String field) throws IOException {
    if (!value.isScalarValue()) {
      throw new InvalidFieldException(field, "must be a string");
    }
    return parser.getText();
  }

  private static List<String> readStrings(JsonParser parser, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return List.of(parser.getText());
    }
    expect(value, JsonToken.START_ARRAY, field);
    List<String> items = new ArrayList<>();
    for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
      if (item != JsonToken.VALUE_NULL) {
        items.add(text(parser, item, field));
      }
    }
    return items;
  }

  private static Double number(JsonParser parser, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (value == JsonToken.VALUE_STRING) {
      try {
        return Double.parseDouble(parser.getText().trim());
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(field, "must be a number, was " + Texts.quote(parser.getText()));
      }
    }
    throw new InvalidFieldException(field, "must be a number");
  }

  private static Integer integer(JsonParser parser, JsonToken value, String field) throws IOException {
    double number = number(parser, value, field);
    if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
      throw new InvalidFieldException(field, "must be a whole number that fits 32 bits, was " + number);
    }
    return (int) number;
  }
}
